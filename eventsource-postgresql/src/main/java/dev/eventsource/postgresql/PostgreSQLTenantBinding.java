package dev.eventsource.postgresql;

import dev.eventsource.tenant.TenantId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Binds a PostgreSQL transaction to one tenant, for stores under row-level security (built with
 * {@link PostgreSQLEventStore.Builder#rowLevelSecurity(boolean)}; see {@code docs/tenancy.md}).
 *
 * <p>{@link #bind} sets the setting {@value #SETTING} for the current transaction only
 * ({@code set_config(..., true)}): it ends with the transaction, so a connection given back to a
 * pool never carries it to the next borrower. While it is set, a role without {@code BYPASSRLS}
 * reads and inserts only rows of that tenant; unbound, it reads no event and can insert none. A
 * tenant-bound {@link PostgreSQLEventStore} ({@link PostgreSQLEventStore#boundTo(TenantId)}) binds
 * every transaction it runs; application code that queries the event tables itself binds its own:
 *
 * <pre>{@code
 * try (Connection c = appDataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     PostgreSQLTenantBinding.bind(c, TenantId.of("acme"));
 *     ... // statements here see acme's rows only
 *     c.commit();
 * }
 * }</pre>
 *
 * <p>It refuses a connection in autocommit mode: there the binding would be a transaction of its
 * own and be gone before the next statement.
 */
public final class PostgreSQLTenantBinding {

    /** The setting the row-level-security policies compare {@code tenant_id} with. */
    public static final String SETTING = "eventsource.tenant_id";

    private PostgreSQLTenantBinding() {
    }

    /**
     * Binds the transaction open on {@code connection} to {@code tenant}, until it commits or rolls back.
     *
     * @throws IllegalStateException if the connection is in autocommit mode
     * @throws SQLException          as the driver reports it
     */
    public static void bind(Connection connection, TenantId tenant) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tenant, "tenant");
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("Cannot bind tenant '" + tenant.value() + "' on a connection in autocommit mode: the"
                    + " binding lasts one transaction and would end with its own statement. Call"
                    + " connection.setAutoCommit(false) first, and bind again after each commit or rollback.");
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config('" + SETTING + "', ?, true)")) {
            s.setString(1, tenant.value());
            s.execute();
        }
    }
}
