package dev.eventsource.inbox;

import dev.eventsource.EventSourceException;
import dev.eventsource.jdbc.VersionedSchema;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.StoreNotInitializedException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.ResultSet;

/**
 * The inbox's table, versioned like every schema of the library: {@code <prefix>inbox_schema_version}
 * records the version, and {@link #migrate} creates what is missing once, even when several
 * processes open an inbox at the same moment (SQLite: under {@code BEGIN IMMEDIATE}; PostgreSQL:
 * under an advisory lock).
 */
final class InboxSchema extends VersionedSchema {

    static final int LATEST = 1;

    private final InboxSql sql;
    private final String versions;

    InboxSchema(InboxSql sql) {
        super(LATEST);
        this.sql = sql;
        this.versions = sql.table("inbox_schema_version");
    }

    @Override
    protected int version(Connection c) throws SQLException {
        if (!sql.tableExists(c, versions)) {
            return 0;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + versions)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    protected void begin(Connection c) throws SQLException {
        sql.begin(c, true, sql.deadlineFromNow());
    }

    @Override
    protected void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + versions + " (version INTEGER PRIMARY KEY)");
        }
    }

    @Override
    protected void apply(Connection c, int version) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (version == 1) {
                for (String ddl : sql.createTable(sql.table("inbox"))) {
                    s.execute(ddl);
                }
            }
            s.execute("INSERT INTO " + versions + " (version) VALUES (" + version + ")");
        }
    }

    @Override
    protected void commit(Connection c) throws SQLException {
        sql.commit(c);
    }

    @Override
    protected void rollback(Connection c, Exception failure) {
        sql.rollback(c, failure);
    }

    // An inbox always creates its table; there is no read-only inbox, so these two are never reached through migrate().
    @Override
    protected EventSourceException notAStore(Connection c) {
        return new StoreNotInitializedException("No inbox table " + sql.table("inbox") + " in " + sql.where
                + "; open an Inbox on it once to create it.", null);
    }

    @Override
    protected EventSourceException older(int found) {
        return new StoreNotInitializedException("The inbox table " + sql.table("inbox") + " in " + sql.where
                + " is at version " + found + ", older than this library's " + LATEST + "; open an Inbox on it to upgrade it.",
                null);
    }

    @Override
    protected EventSourceException newer(int found) {
        return new IncompatibleStoreException(IncompatibleStoreException.Kind.NEWER_SCHEMA, "The inbox table "
                + sql.table("inbox") + " in " + sql.where + " is at version " + found + ", written by a newer"
                + " eventsource-jdbc that knows versions up to " + found + " (this one knows up to " + LATEST + ")."
                + " Upgrade eventsource-jdbc; nothing was changed.", null);
    }
}
