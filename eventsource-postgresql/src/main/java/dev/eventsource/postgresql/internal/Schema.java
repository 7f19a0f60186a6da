package dev.eventsource.postgresql.internal;

import dev.eventsource.jdbc.SqlNames;
import dev.eventsource.EventSourceException;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.IncompatibleStoreException.Kind;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.jdbc.VersionedSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of one store (a schema name plus a table prefix): renders the DDL scripts,
 * which the shared {@link VersionedSchema} bootstrap applies under a transaction-scoped advisory
 * lock, so that any number of instances may initialize at once.
 */
public final class Schema extends VersionedSchema {

    /** The scripts, in order; script {@code i} brings the schema to version {@code i + 1}. */
    private static final List<String> SCRIPTS = List.of("schema-v1.sql", "schema-v2.sql", "schema-v3.sql",
            "schema-v4.sql", "schema-v5.sql", "schema-v6.sql");

    /** The schema version this library writes and reads. */
    public static final int LATEST = SCRIPTS.size();

    private final String schema;
    private final String prefix;

    public Schema(String schema, String prefix) {
        super(LATEST);
        this.schema = SqlNames.schema(schema);
        this.prefix = SqlNames.tablePrefix(prefix);
    }

    /** The DDL bringing an empty schema to {@link #LATEST}, with names substituted. */
    public String ddl() {
        StringBuilder sql = new StringBuilder();
        for (int v = 1; v <= LATEST; v++) {
            sql.append(script(v));
        }
        return sql.toString();
    }

    /** The opt-in row-level-security DDL ({@code row-level-security.sql}), with names substituted. */
    public String rowLevelSecurityDdl() {
        return render("row-level-security.sql");
    }

    /**
     * Puts the tables under row-level security unless they already are, in one transaction; the
     * connection must be in autocommit mode and is left in it.
     *
     * @throws StoreNotInitializedException if they are not and the current role cannot set it up:
     *                                      it must bypass row-level security (see the script)
     */
    public void applyRowLevelSecurity(Connection c) throws SQLException {
        if (hasRowLevelSecurity(c)) {
            return;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper OR rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                throw new StoreNotInitializedException(describe() + " is not under row-level security, and the role"
                        + " this store connects as cannot set it up: the role that applies row-level-security.sql must"
                        + " own the tables and bypass row-level security (BYPASSRLS). Initialize the store once as such a"
                        + " role (or apply PostgreSQLEventStore.rowLevelSecuritySql(...)), then connect as the application"
                        + " role.", null);
            }
        }
        begin(c);
        try {
            try (Statement s = c.createStatement()) {
                s.execute(rowLevelSecurityDdl());
            }
            commit(c);
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
        }
    }

    /**
     * @throws StoreNotInitializedException unless the tables are under row-level security
     */
    public void requireRowLevelSecurity(Connection c) throws SQLException {
        if (!hasRowLevelSecurity(c)) {
            throw new StoreNotInitializedException(describe() + " is not under row-level security, but the store was"
                    + " built with rowLevelSecurity(true): a tenant binding would isolate nothing. Initialize it once as"
                    + " the role that owns the tables (with BYPASSRLS), or apply PostgreSQLEventStore.rowLevelSecuritySql(...).",
                    null);
        }
    }

    /** Whether both tables are under forced row-level security with their policies, and the stream-head function exists. */
    private boolean hasRowLevelSecurity(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_catalog.pg_class AS t"
                + " JOIN pg_catalog.pg_policy AS p ON p.polrelid = t.oid AND p.polname = t.relname || '_tenant'"
                + " WHERE t.oid IN (to_regclass(?), to_regclass(?)) AND t.relrowsecurity AND t.relforcerowsecurity"
                + " AND to_regprocedure(?) IS NOT NULL")) {
            s.setString(1, schema + "." + prefix + "events");
            s.setString(2, schema + "." + prefix + "snapshots");
            s.setString(3, schema + "." + prefix + "stream_head(text,uuid)");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 2;
            }
        }
    }

    @Override
    protected String describe() {
        return "PostgreSQL schema " + schema + (prefix.isEmpty() ? "" : " (table prefix " + prefix + ")");
    }

    @Override
    protected int version(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, schema + "." + prefix + "schema_version");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + schema + "." + prefix + "schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A transaction-scoped advisory lock per schema and prefix: instances starting at once migrate one after the other. */
    @Override
    protected void begin(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey());
            lock.execute();
        }
    }

    @Override
    protected void prepare(Connection c) throws SQLException {
        if (!schemaExists(c)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
        }
    }

    /** Each script records its own version. */
    @Override
    protected void apply(Connection c, int version) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(script(version));
        }
    }

    // The store hands out connections in autocommit mode and expects them back so.
    @Override
    protected void commit(Connection c) throws SQLException {
        c.commit();
        c.setAutoCommit(true);
    }

    @Override
    protected void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    protected EventSourceException notAStore(Connection c) {
        return new StoreNotInitializedException("Schema " + schema + " holds no event store tables with prefix '"
                + prefix + "' (it is not an eventsource store); a read-only store creates nothing. Check the database,"
                + " the schema and the table prefix, or initialize the store writable first.", null);
    }

    @Override
    protected EventSourceException older(int found) {
        return new StoreNotInitializedException("Schema " + schema + " holds event store tables at schema version "
                + found + " (table prefix '" + prefix + "'), but this eventsource-postgresql reads version " + LATEST
                + "; open it writable once to upgrade it.", null);
    }

    @Override
    protected EventSourceException newer(int found) {
        return new IncompatibleStoreException(Kind.NEWER_SCHEMA, "Schema " + schema + " holds event store tables at"
                + " schema version " + found + " (table prefix '" + prefix + "'), but this eventsource-postgresql"
                + " knows versions up to " + LATEST + ". Upgrade eventsource-postgresql; nothing was changed.", null);
    }

    private boolean schemaExists(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * One key per schema and prefix. It is a single-bigint advisory lock, which {@code pg_locks}
     * lists with {@code objsubid = 1}, so it is never mistaken for a writer's announcement (two
     * int keys, {@code objsubid = 2}).
     */
    private long lockKey() {
        long tag = 0x6576_736EL; // "evsn": keeps our keys apart from other applications' small integers
        return (tag << 32) | ((schema + "." + prefix).hashCode() & 0xffff_ffffL);
    }

    /**
     * Script {@code version} alone, with names substituted: what brings version {@code version - 1}
     * to it (for tests that build a schema of an earlier version).
     */
    public String script(int version) {
        return render(SCRIPTS.get(version - 1));
    }

    private String render(String name) {
        try (InputStream in = Schema.class.getResourceAsStream("/dev/eventsource/postgresql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/eventsource/postgresql/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${schema}", schema)
                    .replace("${prefix}", prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
