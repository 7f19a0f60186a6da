package dev.eventsource.sqlite.internal;

import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.TypePattern;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Every SQL statement the store runs on its events table ({@code <prefix>events}), and the mapping
 * between rows and records. Timestamps are stored as microseconds since the epoch, ids as 16-byte
 * BLOBs in big-endian order (the order of RFC 9562's byte layout, so time-ordered ids sort by time).
 */
public final class EventQueries {

    /**
     * The events table's columns, the one list of them outside the schema's migrations: every
     * statement below is built from it, and {@link #row} reads them in this order. Each carries the
     * storage class the store writes, which {@link #mistypedRows} checks, since SQLite does not
     * enforce column types.
     */
    private static final List<Column> EVENT_COLUMNS = List.of(
            new Column("global_position", "integer", false, 0),
            new Column("event_id", "blob", false, 16),
            new Column("aggregate_type", "text", false, 0),
            new Column("aggregate_id", "blob", false, 16),
            new Column("version", "integer", false, 0),
            new Column("event_type", "text", false, 0),
            new Column("schema_version", "integer", false, 0),
            new Column("occurred_at", "integer", false, 0),
            new Column("recorded_at", "integer", false, 0),
            new Column("tenant_id", "text", true, 0),
            new Column("metadata", "text", false, 0),
            new Column("payload", "text", false, 0));

    /** A column, the storage class the store writes into it, whether it may be NULL and its fixed length (0: any). */
    private record Column(String name, String type, boolean nullable, int length) {

        /** The SQL that yields this column's name when a row holds a value of another type (or a missing one) in it. */
        String typeCheck() {
            String wrong = nullable ? "typeof(" + name + ") NOT IN ('" + type + "', 'null')" : "typeof(" + name + ") <> '" + type + "'";
            if (length > 0) {
                wrong += " OR length(" + name + ") <> " + length;
            }
            return "CASE WHEN " + wrong + " THEN '" + name + " ' ELSE '' END";
        }
    }

    private static final String COLUMNS = columns(column -> true);

    public static final String LAST_POSITION = "SELECT last_insert_rowid()";

    private final String events;

    /** Positions come from the table; every other column is written. */
    public final String insert;

    public final String streamVersion;

    /** The version and tenant of a stream's last event; no row for a stream that does not exist. */
    public final String streamHead;

    /** Leaves out the stream's own columns: every JDBC getter is a native call, and a stream read knows them. */
    public final String readStream;

    public final String findEvent;

    public final String eventExists;

    public final String globalPosition;

    /** Rows whose columns do not hold the type the store writes (SQLite does not enforce column types), at most 100. */
    public final String mistypedRows;

    /** The statements on the table {@code tablePrefix + "events"}; the prefix must have been checked (see {@code SqlNames}). */
    public EventQueries(String tablePrefix) {
        this.events = tablePrefix + "events";
        this.insert = "INSERT INTO " + events + " (" + columns(column -> !column.equals("global_position"))
                + ") VALUES (" + "?, ".repeat(EVENT_COLUMNS.size() - 2) + "?)";
        this.streamVersion = "SELECT COALESCE(MAX(version), 0) FROM " + events + " WHERE aggregate_type = ? AND aggregate_id = ?";
        this.streamHead = "SELECT version, tenant_id FROM " + events + " WHERE aggregate_type = ? AND aggregate_id = ?"
                + " ORDER BY version DESC LIMIT 1";
        this.readStream = "SELECT " + columns(column -> !column.equals("aggregate_type") && !column.equals("aggregate_id"))
                + " FROM " + events + " WHERE aggregate_type = ? AND aggregate_id = ? AND version > ? ORDER BY version";
        this.findEvent = "SELECT " + COLUMNS + " FROM " + events + " WHERE event_id = ?";
        this.eventExists = "SELECT 1 FROM " + events + " WHERE event_id = ?";
        this.globalPosition = "SELECT COALESCE(MAX(global_position), 0) FROM " + events;
        this.mistypedRows = "SELECT global_position, trim("
                + String.join(" || ", EVENT_COLUMNS.stream().filter(column -> !column.name().equals("global_position"))
                        .map(Column::typeCheck).toList())
                + ") AS columns FROM " + events + " WHERE columns <> '' ORDER BY global_position LIMIT 100";
    }

    /** The events table's name, prefix included. */
    public String table() {
        return events;
    }

    /** The rows with any of {@code count} event ids, bound in order from parameter 1. */
    public String findEvents(int count) {
        return "SELECT " + COLUMNS + " FROM " + events + " WHERE event_id IN (" + "?, ".repeat(count - 1) + "?)";
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
     * read's direction, forward up to {@code bound} (inclusive; ignored backward).
     *
     * <p>A tenant filter walks the {@code (tenant_id, global_position)} index in order. Type filters
     * are written with a unary {@code +}, which keeps SQLite from answering them from an index that
     * is not in position order (the stream index starts with {@code aggregate_type}): it would have
     * to sort every matching row past the cursor for each page, while walking the primary key up to
     * {@code bound} costs at most the window. Timestamps are never indexed for the same reason.
     */
    public PageQuery page(ReadOptions options, long cursor, long bound, int max) {
        boolean forward = options.direction() == ReadDirection.FORWARD;
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ").append(events).append(" WHERE global_position ")
                .append(forward ? "> ? AND global_position <= ?" : "< ?");
        List<Object> parameters = new ArrayList<>();
        parameters.add(cursor);
        if (forward) {
            parameters.add(bound);
        }
        if (options.eventTypePatterns().isEmpty()) {
            in(sql, parameters, "event_type", options.eventTypes());
        } else {
            // GLOB, not LIKE: SQLite's LIKE ignores ASCII case, while type names match case-sensitively everywhere.
            List<String> terms = new ArrayList<>();
            Set<String> exact = options.exactEventTypes();
            if (!exact.isEmpty()) {
                terms.add("+event_type IN (" + "?, ".repeat(exact.size() - 1) + "?)");
                parameters.addAll(exact);
            }
            for (TypePattern pattern : options.eventTypePatterns()) {
                terms.add("+event_type GLOB ?");
                parameters.add(pattern.sqliteGlob());
            }
            sql.append(" AND (").append(String.join(" OR ", terms)).append(')');
        }
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

    private static String columns(Predicate<String> keep) {
        return String.join(", ", EVENT_COLUMNS.stream().map(Column::name).filter(keep).toList());
    }

    private static void in(StringBuilder sql, List<Object> parameters, String column, Collection<String> values) {
        if (values.isEmpty()) {
            return;
        }
        sql.append(" AND +").append(column).append(" IN (").append("?, ".repeat(values.size() - 1)).append("?)");
        parameters.addAll(values);
    }

    /** Binds one row of {@link #insert}. */
    public static void bindInsert(PreparedStatement insert, StreamId stream, SerializedEvent event, long version,
                                  long recordedAtMicros) throws SQLException {
        insert.setBytes(1, bytes(event.eventId()));
        insert.setString(2, stream.aggregateType());
        insert.setBytes(3, bytes(stream.aggregateId()));
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

    /** Reads the current row of a result set selected with the store's column list, in {@code EVENT_COLUMNS} order. */
    public static RecordedEvent row(ResultSet rs) throws SQLException {
        return new RecordedEvent(uuid(rs.getBytes(2)), rs.getString(6), rs.getInt(7),
                uuid(rs.getBytes(4)), rs.getString(3), rs.getLong(5), rs.getLong(1),
                instant(rs.getLong(8)), instant(rs.getLong(9)), rs.getString(10), rs.getString(11), rs.getString(12));
    }

    /** Reads the current row of a result set selected with {@link #readStream}: the column list without the stream's two. */
    public static RecordedEvent streamRow(ResultSet rs, StreamId stream) throws SQLException {
        return new RecordedEvent(uuid(rs.getBytes(2)), rs.getString(4), rs.getInt(5), stream.aggregateId(),
                stream.aggregateType(), rs.getLong(3), rs.getLong(1), instant(rs.getLong(6)), instant(rs.getLong(7)),
                rs.getString(8), rs.getString(9), rs.getString(10));
    }

    /** Binds a stream's two key columns at {@code index} and {@code index + 1}. */
    public static void bindStream(PreparedStatement statement, int index, StreamId stream) throws SQLException {
        statement.setString(index, stream.aggregateType());
        statement.setBytes(index + 1, bytes(stream.aggregateId()));
    }

    /** An id's 16 bytes, most significant first. */
    public static byte[] bytes(UUID id) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    /**
     * The id stored as {@code b}; {@code null} for SQL {@code NULL}.
     *
     * @throws IllegalStateException if the value is not 16 bytes: the row was written by something
     *                               other than the store ({@code checkStorage} lists such rows)
     */
    public static UUID uuid(byte[] b) {
        if (b == null) {
            return null;
        }
        if (b.length != 16) {
            throw new IllegalStateException("an id column holds " + b.length + " bytes where the store writes 16;"
                    + " the row was not written by eventsource (run checkStorage to list such rows)");
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (b[i] & 0xFF);
            low = low << 8 | (b[8 + i] & 0xFF);
        }
        return new UUID(high, low);
    }

    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
