package dev.eventsource.sqlite.internal;

import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.RecordedEvent;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.spi.StreamKey;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Every SQL statement the store runs, and the mapping between rows and records. Timestamps are
 * stored as microseconds since the epoch, ids as their canonical text.
 */
public final class EventQueries {

    private static final String COLUMNS = "global_position, event_id, aggregate_type, aggregate_id, version,"
            + " event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload";

    public static final String INSERT = "INSERT INTO events (event_id, aggregate_type, aggregate_id, version,"
            + " event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String STREAM_VERSION =
            "SELECT COALESCE(MAX(version), 0) FROM events WHERE aggregate_type = ? AND aggregate_id = ?";

    /** Leaves out the stream's own columns: every JDBC getter is a native call, and a stream read knows them. */
    public static final String READ_STREAM = "SELECT global_position, event_id, version, event_type, schema_version,"
            + " occurred_at, recorded_at, tenant_id, metadata, payload"
            + " FROM events WHERE aggregate_type = ? AND aggregate_id = ? AND version > ? ORDER BY version";

    public static final String FIND_EVENT = "SELECT " + COLUMNS + " FROM events WHERE event_id = ?";

    public static final String EVENT_EXISTS = "SELECT 1 FROM events WHERE event_id = ?";

    public static final String GLOBAL_POSITION = "SELECT COALESCE(MAX(global_position), 0) FROM events";

    public static final String LAST_POSITION = "SELECT last_insert_rowid()";

    /** Rows whose columns do not hold the type the store writes (SQLite does not enforce column types), at most 100. */
    public static final String MISTYPED_ROWS = "SELECT global_position, trim("
            + "CASE WHEN typeof(event_id) <> 'text' OR length(event_id) <> 36 THEN 'event_id ' ELSE '' END"
            + " || CASE WHEN typeof(aggregate_type) <> 'text' THEN 'aggregate_type ' ELSE '' END"
            + " || CASE WHEN typeof(aggregate_id) <> 'text' OR length(aggregate_id) <> 36 THEN 'aggregate_id ' ELSE '' END"
            + " || CASE WHEN typeof(version) <> 'integer' THEN 'version ' ELSE '' END"
            + " || CASE WHEN typeof(event_type) <> 'text' THEN 'event_type ' ELSE '' END"
            + " || CASE WHEN typeof(schema_version) <> 'integer' THEN 'schema_version ' ELSE '' END"
            + " || CASE WHEN typeof(occurred_at) <> 'integer' THEN 'occurred_at ' ELSE '' END"
            + " || CASE WHEN typeof(recorded_at) <> 'integer' THEN 'recorded_at ' ELSE '' END"
            + " || CASE WHEN typeof(tenant_id) NOT IN ('text', 'null') THEN 'tenant_id ' ELSE '' END"
            + " || CASE WHEN typeof(metadata) <> 'text' THEN 'metadata ' ELSE '' END"
            + " || CASE WHEN typeof(payload) <> 'text' THEN 'payload ' ELSE '' END) AS columns"
            + " FROM events WHERE columns <> '' ORDER BY global_position LIMIT 100";

    private EventQueries() {
    }

    /** A {@code readAll} page query and the values to bind, in order. */
    public record PageQuery(String sql, List<Object> parameters) {

        public PreparedStatement bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            return statement;
        }
    }

    /**
     * The query for one page of the global log: at most {@code max} rows after {@code cursor} in the
     * read's direction.
     *
     * <p>A filter on a single event type, aggregate type or tenant is written so SQLite can walk its
     * {@code (column, global_position)} index in order. A filter with several values is written
     * with a unary {@code +}, which keeps SQLite from using that index: it would have to sort every
     * matching row past the cursor for each page; walking the primary key instead costs the page.
     * Timestamps are never indexed for the same reason (occurredAt is not in position order).
     */
    public static PageQuery page(ReadOptions options, long cursor, int max) {
        boolean forward = options.direction() == ReadDirection.FORWARD;
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM events WHERE global_position ")
                .append(forward ? "> ?" : "< ?");
        List<Object> parameters = new ArrayList<>();
        parameters.add(cursor);
        in(sql, parameters, "event_type", options.eventTypes());
        in(sql, parameters, "aggregate_type", options.aggregateTypes());
        if (options.tenantId() != null) {
            sql.append(" AND tenant_id = ?");
            parameters.add(options.tenantId());
        }
        if (options.fromTimestamp() != null) {
            sql.append(" AND occurred_at >= ?");
            parameters.add(micros(options.fromTimestamp()));
        }
        if (options.toTimestamp() != null) {
            sql.append(" AND occurred_at <= ?");
            parameters.add(micros(options.toTimestamp()));
        }
        sql.append(" ORDER BY global_position ").append(forward ? "ASC" : "DESC").append(" LIMIT ?");
        parameters.add(max);
        return new PageQuery(sql.toString(), parameters);
    }

    private static void in(StringBuilder sql, List<Object> parameters, String column, Collection<String> values) {
        if (values.isEmpty()) {
            return;
        }
        if (values.size() == 1) {
            sql.append(" AND ").append(column).append(" = ?");
        } else {
            sql.append(" AND +").append(column).append(" IN (").append("?, ".repeat(values.size() - 1)).append("?)");
        }
        parameters.addAll(values);
    }

    /** Binds one row of {@link #INSERT}. */
    public static void bindInsert(PreparedStatement insert, StreamKey stream, SerializedEvent event, long version,
                                  long recordedAtMicros) throws SQLException {
        insert.setString(1, event.eventId().toString());
        insert.setString(2, stream.aggregateType());
        insert.setString(3, stream.aggregateId().toString());
        insert.setLong(4, version);
        insert.setString(5, event.eventType());
        insert.setInt(6, event.schemaVersion());
        insert.setLong(7, micros(event.occurredAt()));
        insert.setLong(8, recordedAtMicros);
        if (event.tenantId() == null) {
            insert.setNull(9, Types.VARCHAR);
        } else {
            insert.setString(9, event.tenantId());
        }
        insert.setString(10, event.metadataJson());
        insert.setString(11, event.payloadJson());
    }

    /** Reads the current row of a result set selected with the store's column list. */
    public static RecordedEvent row(ResultSet rs) throws SQLException {
        return new RecordedEvent(UUID.fromString(rs.getString(2)), rs.getString(6), rs.getInt(7),
                UUID.fromString(rs.getString(4)), rs.getString(3), rs.getLong(5), rs.getLong(1),
                instant(rs.getLong(8)), instant(rs.getLong(9)), rs.getString(10), rs.getString(11), rs.getString(12));
    }

    /** Reads the current row of a result set selected with {@link #READ_STREAM}. */
    public static RecordedEvent streamRow(ResultSet rs, StreamKey stream) throws SQLException {
        return new RecordedEvent(UUID.fromString(rs.getString(2)), rs.getString(4), rs.getInt(5), stream.aggregateId(),
                stream.aggregateType(), rs.getLong(3), rs.getLong(1), instant(rs.getLong(6)), instant(rs.getLong(7)),
                rs.getString(8), rs.getString(9), rs.getString(10));
    }

    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
