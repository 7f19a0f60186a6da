package dev.eventsource.sqlite.internal;

import dev.eventsource.EventSourceException;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.jdbc.VersionedSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store's tables, created and upgraded by numbered migrations recorded in
 * {@code eventsource_schema} (with a table prefix {@code p}: {@code <p>schema_version}, and every
 * table and index named {@code <p><name>}), bootstrapped by the shared {@link VersionedSchema}. Migrating is
 * idempotent and safe when several processes do it at once: the version is re-read inside
 * {@code BEGIN IMMEDIATE}, so exactly one of them applies each step and the others find it done.
 */
public final class Schema extends VersionedSchema {

    /** Migration {@code i} takes the schema from version {@code i} to {@code i + 1}. Append only; never edit one. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE {p}events (
                global_position INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id        TEXT    NOT NULL UNIQUE,
                aggregate_type  TEXT    NOT NULL,
                aggregate_id    TEXT    NOT NULL,
                version         INTEGER NOT NULL,
                event_type      TEXT    NOT NULL,
                schema_version  INTEGER NOT NULL,
                occurred_at     INTEGER NOT NULL,
                recorded_at     INTEGER NOT NULL,
                tenant_id       TEXT,
                metadata        TEXT    NOT NULL,
                payload         TEXT    NOT NULL,
                UNIQUE (aggregate_type, aggregate_id, version)
            )""",
            // Filtered readAll pages walk these in position order, so a page costs its own size.
            "CREATE INDEX {p}events_by_event_type ON {p}events (event_type, global_position)",
            "CREATE INDEX {p}events_by_aggregate_type ON {p}events (aggregate_type, global_position)",
            "CREATE INDEX {p}events_by_tenant ON {p}events (tenant_id, global_position) WHERE tenant_id IS NOT NULL"),
            List.of(
            // One snapshot per stream; state is JSON text, taken_at microseconds since the epoch like the events' times.
            """
            CREATE TABLE {p}snapshots (
                aggregate_type  TEXT    NOT NULL,
                aggregate_id    TEXT    NOT NULL,
                version         INTEGER NOT NULL CHECK (version >= 1),
                schema_version  INTEGER NOT NULL,
                state           TEXT    NOT NULL,
                taken_at        INTEGER NOT NULL,
                PRIMARY KEY (aggregate_type, aggregate_id)
            ) WITHOUT ROWID"""),
            List.of(
            // Subscriptions: one checkpoint per name, and the dead-letter queue; times are microseconds since the epoch.
            """
            CREATE TABLE IF NOT EXISTS {p}subscription_checkpoints (
                subscription     TEXT    NOT NULL PRIMARY KEY,
                position         INTEGER NOT NULL CHECK (position >= 0),
                events_processed INTEGER NOT NULL,
                last_event_id    TEXT,
                last_event_type  TEXT,
                updated_at       INTEGER NOT NULL
            ) WITHOUT ROWID""",
            """
            CREATE TABLE IF NOT EXISTS {p}dead_letters (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                subscription    TEXT    NOT NULL,
                event_id        TEXT    NOT NULL,
                global_position INTEGER NOT NULL,
                event_type      TEXT    NOT NULL,
                payload         TEXT    NOT NULL,
                error           TEXT    NOT NULL,
                stack_trace     TEXT    NOT NULL,
                attempts        INTEGER NOT NULL,
                first_failed_at INTEGER NOT NULL,
                last_failed_at  INTEGER NOT NULL,
                resolved_at     INTEGER,
                UNIQUE (subscription, event_id)
            )""",
            "CREATE INDEX IF NOT EXISTS {p}dead_letters_unresolved ON {p}dead_letters (subscription, global_position) WHERE resolved_at IS NULL"),
            List.of(
            // Ids as 16-byte BLOBs, positions without AUTOINCREMENT, events append-only; see
            // docs/adr/0004-storage-layout.md. Each table is rebuilt under its own name so its indexes keep
            // theirs; rows keep their positions, ids (converted from text), times and payloads.
            // "IF NOT EXISTS" below only keeps the check for other applications' tables off names that the
            // preceding rename has just freed.
            "ALTER TABLE {p}events RENAME TO {p}events_v3",
            """
            CREATE TABLE IF NOT EXISTS {p}events (
                global_position INTEGER PRIMARY KEY,
                event_id        BLOB    NOT NULL UNIQUE,
                aggregate_type  TEXT    NOT NULL,
                aggregate_id    BLOB    NOT NULL,
                version         INTEGER NOT NULL,
                event_type      TEXT    NOT NULL,
                schema_version  INTEGER NOT NULL,
                occurred_at     INTEGER NOT NULL,
                recorded_at     INTEGER NOT NULL,
                tenant_id       TEXT,
                metadata        TEXT    NOT NULL,
                payload         TEXT    NOT NULL,
                UNIQUE (aggregate_type, aggregate_id, version)
            )""",
            """
            INSERT INTO {p}events SELECT global_position, {blob(event_id)}, aggregate_type,
                {blob(aggregate_id)}, version, event_type, schema_version, occurred_at, recorded_at,
                tenant_id, metadata, payload
            FROM {p}events_v3 ORDER BY global_position""",
            "DROP TABLE {p}events_v3",
            "CREATE INDEX {p}events_by_event_type ON {p}events (event_type, global_position)",
            "CREATE INDEX {p}events_by_aggregate_type ON {p}events (aggregate_type, global_position)",
            "CREATE INDEX {p}events_by_tenant ON {p}events (tenant_id, global_position) WHERE tenant_id IS NOT NULL",
            // Without AUTOINCREMENT a new row takes max(position) + 1, so deleting the last rows would hand their
            // positions out again and subscriptions past them would skip the new events: the log refuses
            // deletes and position changes instead.
            """
            CREATE TRIGGER {p}events_no_delete BEFORE DELETE ON {p}events
            BEGIN SELECT RAISE(ABORT, 'eventsource: events are append-only; a deleted position would be reused'); END""",
            """
            CREATE TRIGGER {p}events_no_position_change BEFORE UPDATE OF global_position ON {p}events
            BEGIN SELECT RAISE(ABORT, 'eventsource: event positions never change'); END""",
            "ALTER TABLE {p}snapshots RENAME TO {p}snapshots_v3",
            """
            CREATE TABLE IF NOT EXISTS {p}snapshots (
                aggregate_type  TEXT    NOT NULL,
                aggregate_id    BLOB    NOT NULL,
                version         INTEGER NOT NULL CHECK (version >= 1),
                schema_version  INTEGER NOT NULL,
                state           TEXT    NOT NULL,
                taken_at        INTEGER NOT NULL,
                PRIMARY KEY (aggregate_type, aggregate_id)
            ) WITHOUT ROWID""",
            """
            INSERT INTO {p}snapshots SELECT aggregate_type, {blob(aggregate_id)}, version,
                schema_version, state, taken_at FROM {p}snapshots_v3""",
            "DROP TABLE {p}snapshots_v3",
            "ALTER TABLE {p}subscription_checkpoints RENAME TO {p}subscription_checkpoints_v3",
            """
            CREATE TABLE IF NOT EXISTS {p}subscription_checkpoints (
                subscription     TEXT    NOT NULL PRIMARY KEY,
                position         INTEGER NOT NULL CHECK (position >= 0),
                events_processed INTEGER NOT NULL,
                last_event_id    BLOB,
                last_event_type  TEXT,
                updated_at       INTEGER NOT NULL
            ) WITHOUT ROWID""",
            """
            INSERT INTO {p}subscription_checkpoints SELECT subscription, position, events_processed,
                {blob(last_event_id)}, last_event_type, updated_at FROM {p}subscription_checkpoints_v3""",
            "DROP TABLE {p}subscription_checkpoints_v3",
            "ALTER TABLE {p}dead_letters RENAME TO {p}dead_letters_v3",
            """
            CREATE TABLE IF NOT EXISTS {p}dead_letters (
                id              INTEGER PRIMARY KEY AUTOINCREMENT,
                subscription    TEXT    NOT NULL,
                event_id        BLOB    NOT NULL,
                global_position INTEGER NOT NULL,
                event_type      TEXT    NOT NULL,
                payload         TEXT    NOT NULL,
                error           TEXT    NOT NULL,
                stack_trace     TEXT    NOT NULL,
                attempts        INTEGER NOT NULL,
                first_failed_at INTEGER NOT NULL,
                last_failed_at  INTEGER NOT NULL,
                resolved_at     INTEGER,
                UNIQUE (subscription, event_id)
            )""",
            """
            INSERT INTO {p}dead_letters SELECT id, subscription, {blob(event_id)}, global_position,
                event_type, payload, error, stack_trace, attempts, first_failed_at, last_failed_at, resolved_at
            FROM {p}dead_letters_v3""",
            "DROP TABLE {p}dead_letters_v3",
            "CREATE INDEX {p}dead_letters_unresolved ON {p}dead_letters (subscription, global_position) WHERE resolved_at IS NULL"),
            List.of(
            // The type indexes cost a fifth of the batch write rate and no longer serve polls: a filtered page
            // examines a bounded window of positions and reports how far it got (docs/adr/0004-storage-layout.md,
            // point 7). Counting by aggregate type reads the stream index; by event type, the table.
            "DROP INDEX IF EXISTS {p}events_by_event_type",
            "DROP INDEX IF EXISTS {p}events_by_aggregate_type"));

    /** The schema version this code writes. */
    public static final int CURRENT_VERSION = MIGRATIONS.size();

    private final String database;
    private final String prefix;
    private final String versionTable;

    /**
     * @param database    the database's name, for messages
     * @param tablePrefix the store's table prefix, already checked (see {@code SqlNames}); empty for
     *                    the names every store had before prefixes existed
     */
    public Schema(String database, String tablePrefix) {
        super(CURRENT_VERSION);
        this.database = database;
        this.prefix = tablePrefix;
        this.versionTable = versionTable(tablePrefix);
    }

    /** {@code eventsource_schema} without a prefix, as every store before prefixes; {@code <prefix>schema_version} with one. */
    static String versionTable(String tablePrefix) {
        return tablePrefix.isEmpty() ? "eventsource_schema" : tablePrefix + "schema_version";
    }

    private String createVersionTable() {
        return "CREATE TABLE IF NOT EXISTS " + versionTable + " (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";
    }

    /**
     * Migration {@code version} with the prefix in place and every {@code {blob(column)}} written out:
     * an id stored as text (by schema versions up to 3) converted to its 16 bytes, any other value
     * kept as it is, so a step that runs again over converted rows leaves them alone.
     */
    private List<String> migration(int version) {
        return MIGRATIONS.get(version - 1).stream()
                .map(statement -> BLOB_ID.matcher(statement.replace("{p}", prefix)).replaceAll(
                        "CASE WHEN typeof($1) = 'text' THEN unhex(replace($1, '-', '')) ELSE $1 END"))
                .toList();
    }

    private static final Pattern BLOB_ID = Pattern.compile("\\{blob\\((\\w+)\\)}");

    /**
     * Every migration as one SQL script that takes an empty database to {@link #CURRENT_VERSION},
     * recording each version as {@link #migrate} does, so a store opened on the result finds its
     * schema done. Meant to run in one transaction.
     */
    public String script() {
        StringBuilder sql = new StringBuilder(createVersionTable()).append(";\n\n");
        for (int v = 1; v <= CURRENT_VERSION; v++) {
            sql.append("-- version ").append(v).append("\n");
            for (String statement : migration(v)) {
                sql.append(statement).append(";\n\n");
            }
            sql.append("INSERT INTO ").append(versionTable).append(" (version, applied_at)"
                    + " VALUES (").append(v).append(", CAST(strftime('%s', 'now') AS INTEGER) * 1000000);\n\n");
        }
        return sql.toString();
    }

    /** Version 5 only drops the two type indexes, which no read needs: a read-only store reads a version 4 file as it is. */
    @Override
    protected int oldestReadable() {
        return 4;
    }

    @Override
    protected String describe() {
        return "SQLite database " + database + (prefix.isEmpty() ? "" : " (table prefix " + prefix + ")");
    }

    @Override
    protected int version(Connection c) throws SQLException {
        try (Statement sql = c.createStatement()) {
            try (ResultSet tables = sql.executeQuery(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + versionTable + "'")) {
                if (!tables.next()) {
                    return 0;
                }
            }
            try (ResultSet rs = sql.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** {@code BEGIN IMMEDIATE} takes SQLite's write lock at once, so exactly one process migrates at a time. */
    @Override
    protected void begin(Connection c) throws SQLException {
        execute(c, "BEGIN IMMEDIATE");
    }

    @Override
    protected void prepare(Connection c) throws SQLException {
        execute(c, createVersionTable());
    }

    @Override
    protected void apply(Connection c, int version) throws SQLException {
        if (version == 1) {
            // A new store: none of the tables it will ever create may exist yet.
            for (int v = 1; v <= CURRENT_VERSION; v++) {
                refuseTakenNames(c, migration(v), true);
            }
        } else {
            // Older versions of this library created the IF NOT EXISTS tables lazily, before a migration did.
            refuseTakenNames(c, migration(version), false);
        }
        for (String statement : migration(version)) {
            execute(c, statement);
        }
        execute(c, "INSERT INTO " + versionTable + " (version, applied_at) VALUES (" + version + ", "
                + System.currentTimeMillis() * 1000 + ")");
    }

    private void refuseTakenNames(Connection c, List<String> statements, boolean alsoIfNotExists) throws SQLException {
        for (String statement : statements) {
            Matcher created = CREATE_TABLE.matcher(statement);
            if (created.find() && (alsoIfNotExists || created.group(1) == null) && tableExists(c, created.group(2))) {
                throw new IncompatibleStoreException(IncompatibleStoreException.Kind.NOT_AN_EVENT_STORE, "SQLite database "
                        + database + " already holds a table named " + created.group(2) + " that this store did not"
                        + " create (another application's?), so the store cannot create its own there; nothing was"
                        + " changed. Give the store a table prefix, e.g. SQLiteEventStore.builder(path).tablePrefix(\"es_\")"
                        + " or the URL parameter ?tablePrefix=es_.", null);
            }
        }
    }

    @Override
    protected void commit(Connection c) throws SQLException {
        execute(c, "COMMIT");
    }

    @Override
    protected void rollback(Connection c, Exception failure) {
        try (Statement sql = c.createStatement()) {
            rollbackQuietly(sql, failure);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    protected EventSourceException notAStore(Connection c) throws SQLException {
        if (holdsTables(c)) {
            return new IncompatibleStoreException(IncompatibleStoreException.Kind.NOT_AN_EVENT_STORE, "SQLite"
                    + " database " + database + " is not an eventsource store (it holds another application's"
                    + " tables and no event store schema); a read-only store creates nothing. Check the path.",
                    null);
        }
        return new StoreNotInitializedException("SQLite database " + database + " is not an eventsource store (it"
                + " has no event store schema); a read-only store creates nothing. Check the path, or create the"
                + " store by opening it writable.", null);
    }

    @Override
    protected EventSourceException older(int found) {
        return new StoreNotInitializedException("SQLite database " + database + " has event store schema version "
                + found + ", older than this library's " + CURRENT_VERSION + "; a read-only store cannot upgrade"
                + " it. Open it writable once to upgrade it.", null);
    }

    @Override
    protected EventSourceException newer(int found) {
        return new IncompatibleStoreException(IncompatibleStoreException.Kind.NEWER_SCHEMA, "SQLite database "
                + database + " has event store schema version " + found + " but this library knows versions up"
                + " to " + CURRENT_VERSION + "; it was written by a newer eventsource. Upgrade eventsource-sqlite"
                + " to use it.", null);
    }

    private static final Pattern CREATE_TABLE = Pattern.compile("^\\s*CREATE TABLE (IF NOT EXISTS )?(\\w+)");

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean holdsTables(Connection c) throws SQLException {
        try (Statement sql = c.createStatement();
             ResultSet tables = sql.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1")) {
            return tables.next();
        }
    }

    private static void execute(Connection c, String statement) throws SQLException {
        try (Statement sql = c.createStatement()) {
            sql.execute(statement);
        }
    }

    /** Rolls back, keeping a rollback failure as suppressed on {@code failure}. */
    public static void rollbackQuietly(Statement sql, Exception failure) {
        try {
            sql.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself after some errors (e.g. SQLITE_FULL); then there is nothing left to undo.
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                failure.addSuppressed(e);
            }
        }
    }
}
