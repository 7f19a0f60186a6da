package dev.eventsource.sqlite.internal;

import dev.eventsource.store.LogStatistics;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.StreamPage;
import dev.eventsource.store.StreamSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream listing and statistics of {@code RecordedEventReader} as aggregate queries inside
 * SQLite, instead of moving every row through the JVM: grouping by stream and counting by aggregate
 * type read the {@code (aggregate_type, aggregate_id, version)} index; counting by event type reads
 * the table once (there is no event-type index, see ADR 0004). Serves filters by event
 * type, aggregate type and tenant ({@link #serves}); the store falls back to reading rows for the
 * others.
 */
public final class Summaries {

    /** Pages of more streams than this take their last event times from one pass over the table. */
    static final int LARGE_PAGE = 500;

    private final String events;

    public Summaries(EventQueries queries) {
        this.events = queries.table();
    }

    /** Whether the aggregate queries can apply {@code filter}: no position or time bounds. */
    public static boolean serves(ReadOptions filter) {
        return filter.fromPosition().isEmpty() && filter.fromTimestamp() == null && filter.toTimestamp() == null;
    }

    public StreamPage listStreams(Connection c, ReadOptions filter, long offset, int limit) throws SQLException {
        List<Object> binds = new ArrayList<>();
        String where = where(filter, binds);
        long total;
        try (PreparedStatement count = bind(c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM " + events + where
                + " GROUP BY aggregate_type, aggregate_id)"), binds, 1); ResultSet rs = count.executeQuery()) {
            rs.next();
            total = rs.getLong(1);
        }
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement page = bind(c.prepareStatement("SELECT aggregate_type, aggregate_id, MAX(version), COUNT(*),"
                + " MIN(global_position) AS first FROM " + events + where
                + " GROUP BY aggregate_type, aggregate_id ORDER BY first LIMIT ? OFFSET ?"), binds, 1)) {
            page.setInt(binds.size() + 1, limit);
            page.setLong(binds.size() + 2, offset);
            try (ResultSet rs = page.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {new StreamId(rs.getString(1), EventQueries.uuid(rs.getBytes(2))), rs.getLong(3),
                            rs.getLong(4), rs.getLong(5)});
                }
            }
        }
        List<StreamSummary> streams = new ArrayList<>(rows.size());
        if (rows.size() > LARGE_PAGE) {
            // The time is not in the index: one pass over the table, instead of one lookup per stream.
            Map<StreamId, Long> lastAt = new java.util.HashMap<>(rows.size() * 2);
            try (PreparedStatement all = bind(c.prepareStatement("SELECT aggregate_type, aggregate_id, MAX(occurred_at) FROM "
                    + events + " NOT INDEXED" + where + " GROUP BY aggregate_type, aggregate_id"), binds, 1);
                 ResultSet rs = all.executeQuery()) {
                while (rs.next()) {
                    lastAt.put(new StreamId(rs.getString(1), EventQueries.uuid(rs.getBytes(2))), rs.getLong(3));
                }
            }
            for (Object[] row : rows) {
                StreamId stream = (StreamId) row[0];
                Long at = lastAt.get(stream);
                if (at == null) {   // the log is append-only: a stream counted first is there in the later pass
                    throw new IllegalStateException("stream " + stream + " was listed but not found again in " + events);
                }
                streams.add(new StreamSummary(stream, (long) row[1], (long) row[2], EventQueries.instant(at), (long) row[3]));
            }
            return new StreamPage(total, streams);
        }
        String lastAt = "SELECT MAX(occurred_at) FROM " + events + (where.isEmpty() ? " WHERE " : where + " AND ")
                + "aggregate_type = ? AND aggregate_id = ?";
        try (PreparedStatement last = bind(c.prepareStatement(lastAt), binds, 1)) {
            for (Object[] row : rows) {
                StreamId stream = (StreamId) row[0];
                EventQueries.bindStream(last, binds.size() + 1, stream);
                try (ResultSet rs = last.executeQuery()) {
                    rs.next();
                    streams.add(new StreamSummary(stream, (long) row[1], (long) row[2], EventQueries.instant(rs.getLong(1)),
                            (long) row[3]));
                }
            }
        }
        return new StreamPage(total, streams);
    }

    public LogStatistics statistics(Connection c, ReadOptions filter) throws SQLException {
        List<Object> binds = new ArrayList<>();
        String where = where(filter, binds);
        Map<String, Long> byEventType = counts(c, "event_type", where, binds);
        Map<String, Long> byAggregateType = counts(c, "aggregate_type", where, binds);
        long total = byEventType.values().stream().mapToLong(Long::longValue).sum();
        long streams;
        try (PreparedStatement count = bind(c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM " + events + where
                + " GROUP BY aggregate_type, aggregate_id)"), binds, 1); ResultSet rs = count.executeQuery()) {
            rs.next();
            streams = rs.getLong(1);
        }
        long[] first = edge(c, where, binds, "ASC");
        long[] last = edge(c, where, binds, "DESC");
        return new LogStatistics(total, streams, first == null ? 0 : first[0], last == null ? 0 : last[0],
                first == null ? null : EventQueries.instant(first[1]), last == null ? null : EventQueries.instant(last[1]),
                byEventType, byAggregateType);
    }

    private Map<String, Long> counts(Connection c, String column, String where, List<Object> binds) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement query = bind(c.prepareStatement("SELECT " + column + ", COUNT(*) FROM " + events + where
                + " GROUP BY " + column), binds, 1); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** The position and occurrence time of the first ({@code ASC}) or last ({@code DESC}) selected event; null if none. */
    private long[] edge(Connection c, String where, List<Object> binds, String order) throws SQLException {
        try (PreparedStatement query = bind(c.prepareStatement("SELECT global_position, occurred_at FROM " + events + where
                + " ORDER BY global_position " + order + " LIMIT 1"), binds, 1); ResultSet rs = query.executeQuery()) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
        }
    }

    private static String where(ReadOptions filter, List<Object> binds) {
        List<String> terms = new ArrayList<>();
        in("event_type", filter.eventTypes(), terms, binds);
        in("aggregate_type", filter.aggregateTypes(), terms, binds);
        if (filter.tenantId() != null) {
            terms.add("tenant_id = ?");
            binds.add(filter.tenantId());
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    private static void in(String column, java.util.Set<String> values, List<String> terms, List<Object> binds) {
        if (values != null && !values.isEmpty()) {
            terms.add(column + " IN (" + "?, ".repeat(values.size() - 1) + "?)");
            binds.addAll(values);
        }
    }

    private static PreparedStatement bind(PreparedStatement statement, List<Object> binds, int from) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            statement.setString(from + i, (String) binds.get(i));
        }
        return statement;
    }
}
