package dev.eventsource.sqlite.internal;

import dev.eventsource.jdbc.SqlDialect;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** SQLite's side of the shared stores: table names with the store's prefix, ids as 16-byte BLOBs, times as microseconds since the epoch. */
public final class SQLiteDialect implements SqlDialect {

    private final String tablePrefix;

    /** @param tablePrefix the store's table prefix, already checked (see {@code SqlNames}) */
    public SQLiteDialect(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    @Override
    public String table(String name) {
        return tablePrefix + name;
    }

    @Override
    public void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setBytes(index, id == null ? null : EventQueries.bytes(id));
    }

    @Override
    public UUID getUuid(ResultSet row, int index) throws SQLException {
        return EventQueries.uuid(row.getBytes(index));
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        statement.setLong(index, EventQueries.micros(at));
    }

    @Override
    public Instant getInstant(ResultSet row, int index) throws SQLException {
        long micros = row.getLong(index);
        return row.wasNull() ? null : EventQueries.instant(micros);
    }
}
