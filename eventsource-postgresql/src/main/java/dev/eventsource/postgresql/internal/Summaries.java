package dev.eventsource.postgresql.internal;

import dev.eventsource.store.LogStatistics;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.StreamPage;
import dev.eventsource.store.StreamSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The stream listing and statistics of {@code RecordedEventReader} as aggregate queries in
 * PostgreSQL instead of moving every row to the client. Like a forward read they see events up to
 * the {@linkplain EventsTable#readablePosition readable position} only. Serves filters by event
 * type, aggregate type and tenant ({@link #serves}); the store falls back to reading rows for the
 * others.
 */
public final class Summaries {

    private final EventsTable events;

    public Summaries(EventsTable events) {
        this.events = events;
    }

    /** Whether the aggregate queries can apply {@code filter}: no position or time bounds. */
    public static boolean serves(ReadOptions filter) {
        return filter.fromPosition().isEmpty() && filter.fromTimestamp() == null && filter.toTimestamp() == null;
    }

    public StreamPage listStreams(Connection c, ReadOptions filter, long offset, int limit) throws SQLException {
        List<Object> binds = new ArrayList<>();
        String where = where(c, filter, binds);
        String grouped = "SELECT aggregate_type, aggregate_id, max(version) AS version, count(*) AS events,"
                + " max(occurred_at) AS last_at, min(global_position) AS first FROM " + events.table() + where
                + " GROUP BY aggregate_type, aggregate_id";
        long total;
        try (PreparedStatement count = bind(c.prepareStatement("SELECT count(*) FROM (" + grouped + ") AS s"), binds);
             ResultSet rs = count.executeQuery()) {
            rs.next();
            total = rs.getLong(1);
        }
        List<StreamSummary> streams = new ArrayList<>();
        try (PreparedStatement page = bind(c.prepareStatement(grouped + " ORDER BY first LIMIT ? OFFSET ?"), binds)) {
            page.setInt(binds.size() + 1, limit);
            page.setLong(binds.size() + 2, offset);
            try (ResultSet rs = page.executeQuery()) {
                while (rs.next()) {
                    streams.add(new StreamSummary(new StreamId(rs.getString(1), rs.getObject(2, UUID.class)), rs.getLong(3),
                            rs.getLong(4), rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getLong(6)));
                }
            }
        }
        return new StreamPage(total, streams);
    }

    public LogStatistics statistics(Connection c, ReadOptions filter) throws SQLException {
        List<Object> binds = new ArrayList<>();
        String where = where(c, filter, binds);
        Map<String, Long> byEventType = counts(c, "event_type", where, binds);
        Map<String, Long> byAggregateType = counts(c, "aggregate_type", where, binds);
        long total = byEventType.values().stream().mapToLong(Long::longValue).sum();
        long streams;
        try (PreparedStatement count = bind(c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM " + events.table() + where
                + " GROUP BY aggregate_type, aggregate_id) AS s"), binds); ResultSet rs = count.executeQuery()) {
            rs.next();
            streams = rs.getLong(1);
        }
        Object[] first = edge(c, where, binds, "ASC");
        Object[] last = edge(c, where, binds, "DESC");
        return new LogStatistics(total, streams, first == null ? 0 : (long) first[0], last == null ? 0 : (long) last[0],
                first == null ? null : ((OffsetDateTime) first[1]).toInstant(),
                last == null ? null : ((OffsetDateTime) last[1]).toInstant(), byEventType, byAggregateType);
    }

    private Map<String, Long> counts(Connection c, String column, String where, List<Object> binds) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement query = bind(c.prepareStatement("SELECT " + column + ", count(*) FROM " + events.table() + where
                + " GROUP BY " + column), binds); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private Object[] edge(Connection c, String where, List<Object> binds, String order) throws SQLException {
        try (PreparedStatement query = bind(c.prepareStatement("SELECT global_position, occurred_at FROM " + events.table()
                + where + " ORDER BY global_position " + order + " LIMIT 1"), binds); ResultSet rs = query.executeQuery()) {
            return rs.next() ? new Object[] {rs.getLong(1), rs.getObject(2, OffsetDateTime.class)} : null;
        }
    }

    private String where(Connection c, ReadOptions filter, List<Object> binds) throws SQLException {
        StringBuilder sql = new StringBuilder(" WHERE global_position <= ?");
        binds.add(events.readablePosition(c));
        if (!filter.eventTypes().isEmpty()) {
            sql.append(" AND event_type = ANY(?)");
            binds.add(c.createArrayOf("text", filter.eventTypes().toArray()));
        }
        if (!filter.aggregateTypes().isEmpty()) {
            sql.append(" AND aggregate_type = ANY(?)");
            binds.add(c.createArrayOf("text", filter.aggregateTypes().toArray()));
        }
        if (filter.tenantId() != null) {
            sql.append(" AND tenant_id = ?");
            binds.add(filter.tenantId());
        }
        return sql.toString();
    }

    private static PreparedStatement bind(PreparedStatement statement, List<Object> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            statement.setObject(i + 1, binds.get(i));
        }
        return statement;
    }
}
