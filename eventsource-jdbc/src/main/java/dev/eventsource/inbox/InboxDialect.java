package dev.eventsource.inbox;

/**
 * The databases an {@link Inbox} can keep its table in. {@link Inbox.Builder} detects it from the
 * connection's {@code DatabaseMetaData.getDatabaseProductName()}; set it explicitly only for a
 * driver or proxy that reports another product name for one of these databases.
 */
public enum InboxDialect {

    /**
     * SQLite (3.24 or newer): transactions begin with {@code BEGIN IMMEDIATE}, so a delivery takes
     * the database's write lock before it reads anything, and waits for it up to the inbox's busy
     * timeout.
     */
    SQLITE("SQLite"),

    /**
     * PostgreSQL (9.5 or newer): transactions at the connection's isolation level; the table lives
     * in the connection's current schema (its {@code search_path}).
     */
    POSTGRESQL("PostgreSQL");

    private final String productName;

    InboxDialect(String productName) {
        this.productName = productName;
    }

    /** The product name its JDBC driver reports, e.g. {@code "PostgreSQL"}. */
    public String productName() {
        return productName;
    }
}
