package dev.eventsource.postgresql.internal;

import dev.eventsource.jdbc.SqlNames;
import dev.eventsource.jdbc.SqlDialect;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * PostgreSQL's side of the shared stores: tables qualified by the store's schema and prefix,
 * {@code uuid} and {@code timestamptz} columns, {@code jsonb} state, and text ordered by code
 * point ({@code COLLATE "C"}) whatever the database's collation.
 */
public final class PostgreSQLDialect implements SqlDialect {

    private final String qualifier;

    /** @throws IllegalArgumentException if a name does not match {@code [a-z_][a-z0-9_]{0,40}} */
    public PostgreSQLDialect(String schema, String prefix) {
        this.qualifier = SqlNames.schema(schema) + "." + SqlNames.tablePrefix(prefix);
    }

    @Override
    public String table(String name) {
        return qualifier + name;
    }

    @Override
    public void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setObject(index, id);
    }

    @Override
    public UUID getUuid(ResultSet row, int index) throws SQLException {
        return row.getObject(index, UUID.class);
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }

    @Override
    public Instant getInstant(ResultSet row, int index) throws SQLException {
        OffsetDateTime at = row.getObject(index, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    @Override
    public String jsonParameter() {
        return "?::jsonb";
    }

    @Override
    public String jsonText(String column) {
        return column + "::text";
    }

    @Override
    public String binaryOrder(String column) {
        return column + " COLLATE \"C\"";
    }
}
