package dev.eventsource.sqlite.internal;

import dev.eventsource.EventSourceException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables, created and upgraded by numbered migrations recorded in
 * {@code eventsource_schema}. Migrating is idempotent and safe when several processes do it at
 * once: the version is re-read inside {@code BEGIN IMMEDIATE}, so exactly one of them applies each
 * step and the others find it done.
 */
public final class Schema {

    /** Migration {@code i} takes the schema from version {@code i} to {@code i + 1}. Append only; never edit one. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE events (
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
            "CREATE INDEX events_by_event_type ON events (event_type, global_position)",
            "CREATE INDEX events_by_aggregate_type ON events (aggregate_type, global_position)",
            "CREATE INDEX events_by_tenant ON events (tenant_id, global_position) WHERE tenant_id IS NOT NULL"),
            List.of(
            // One snapshot per stream; state is JSON text, taken_at microseconds since the epoch like the events' times.
            """
            CREATE TABLE snapshots (
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
            CREATE TABLE IF NOT EXISTS subscription_checkpoints (
                subscription     TEXT    NOT NULL PRIMARY KEY,
                position         INTEGER NOT NULL CHECK (position >= 0),
                events_processed INTEGER NOT NULL,
                last_event_id    TEXT,
                last_event_type  TEXT,
                updated_at       INTEGER NOT NULL
            ) WITHOUT ROWID""",
            """
            CREATE TABLE IF NOT EXISTS dead_letters (
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
            "CREATE INDEX IF NOT EXISTS dead_letters_unresolved ON dead_letters (subscription, global_position) WHERE resolved_at IS NULL"));

    /** The schema version this code writes. */
    public static final int CURRENT_VERSION = MIGRATIONS.size();

    private static final String SCHEMA_TABLE = "CREATE TABLE IF NOT EXISTS eventsource_schema (version INTEGER PRIMARY KEY,"
            + " applied_at INTEGER NOT NULL)";

    private Schema() {
    }

    /**
     * Every migration as one SQL script that takes an empty database to {@link #CURRENT_VERSION},
     * recording each version as {@link #migrate} does, so a store opened on the result finds its
     * schema done. Meant to run in one transaction.
     */
    public static String script() {
        StringBuilder sql = new StringBuilder(SCHEMA_TABLE).append(";\n\n");
        for (int v = 0; v < CURRENT_VERSION; v++) {
            sql.append("-- version ").append(v + 1).append("\n");
            for (String statement : MIGRATIONS.get(v)) {
                sql.append(statement).append(";\n\n");
            }
            sql.append("INSERT INTO eventsource_schema (version, applied_at)"
                    + " VALUES (").append(v + 1).append(", CAST(strftime('%s', 'now') AS INTEGER) * 1000000);\n\n");
        }
        return sql.toString();
    }

    /**
     * Brings the database to {@link #CURRENT_VERSION}.
     *
     * @throws EventSourceException if the database was written by a newer version of this library
     */
    public static void migrate(Connection connection, String database) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            // The common case, an up-to-date database, needs no write lock, so read-only files still open.
            if (version(sql, database) == CURRENT_VERSION) {
                return;
            }
            sql.execute("BEGIN IMMEDIATE");
            try {
                sql.execute(SCHEMA_TABLE);
                for (int v = version(sql, database); v < CURRENT_VERSION; v++) {
                    for (String statement : MIGRATIONS.get(v)) {
                        sql.execute(statement);
                    }
                    sql.execute("INSERT INTO eventsource_schema (version, applied_at) VALUES (" + (v + 1) + ", "
                            + System.currentTimeMillis() * 1000 + ")");
                }
                sql.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(sql, e);
                throw e;
            }
        }
    }

    /**
     * Checks, without writing, that the database holds exactly the schema this code writes; what a
     * read-only store needs, since it cannot create or upgrade one.
     *
     * @throws EventSourceException naming the database when it holds no event store (an empty
     *                              file, another application's tables) or an older or newer schema
     */
    public static void requireCurrent(Connection connection, String database) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            int version = version(sql, database);
            if (version == 0) {
                throw new EventSourceException("SQLite database " + database + " is not an eventsource store (it has no"
                        + " event store schema); a read-only store creates nothing. Check the path, or create the store"
                        + " by opening it writable.");
            }
            if (version < CURRENT_VERSION) {
                throw new EventSourceException("SQLite database " + database + " has event store schema version " + version
                        + ", older than this library's " + CURRENT_VERSION + "; a read-only store cannot upgrade it."
                        + " Open it writable once to upgrade it.");
            }
        }
    }

    /** The schema version stored in the database; 0 for a database without our tables. */
    public static int version(Statement sql, String database) throws SQLException {
        try (ResultSet tables = sql.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'eventsource_schema'")) {
            if (!tables.next()) {
                return 0;
            }
        }
        try (ResultSet rs = sql.executeQuery("SELECT COALESCE(MAX(version), 0) FROM eventsource_schema")) {
            rs.next();
            int version = rs.getInt(1);
            if (version > CURRENT_VERSION) {
                throw new EventSourceException("SQLite database " + database + " has event store schema version "
                        + version + " but this library knows versions up to " + CURRENT_VERSION
                        + "; it was written by a newer eventsource. Upgrade eventsource-sqlite to use it.");
            }
            return version;
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
