package dev.eventsource.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * What differs between SQL databases for the shared stores ({@link JdbcCheckpointStore},
 * {@link JdbcDeadLetterStore}, {@link JdbcSnapshotStore}): where a table is, how ids and times are
 * stored, the JSON column, and how text is ordered. Everything else (the statements, the row
 * mapping, upsert semantics) is written once in the shared stores, in SQL both SQLite and
 * PostgreSQL accept.
 *
 * <p>A dialect never receives caller input as SQL text: {@link #table} is given the library's own
 * table names, and a dialect that qualifies them (a schema, a prefix) must validate those parts
 * before it is built.
 */
public interface SqlDialect {

    /** The name to write in SQL for the library's table {@code name}, e.g. {@code "snapshots"}. */
    String table(String name);

    /** Binds an id, or SQL {@code NULL} for {@code null}. */
    void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException;

    /** Reads an id bound by {@link #setUuid}; {@code null} for SQL {@code NULL}. */
    UUID getUuid(ResultSet row, int index) throws SQLException;

    /** Binds a time, truncated to the microsecond (what every backend keeps). */
    void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException;

    /** Reads a time bound by {@link #setInstant}; {@code null} for SQL {@code NULL}. */
    Instant getInstant(ResultSet row, int index) throws SQLException;

    /** The parameter marker for a JSON value given as text; {@code "?"} unless the column has a JSON type. */
    default String jsonParameter() {
        return "?";
    }

    /** The expression that reads JSON column {@code column} back as text. */
    default String jsonText(String column) {
        return column;
    }

    /** The expression to order text column {@code column} by code point, whatever the database's collation. */
    default String binaryOrder(String column) {
        return column;
    }
}
