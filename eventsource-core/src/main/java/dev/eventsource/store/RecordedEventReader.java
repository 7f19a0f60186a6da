package dev.eventsource.store;


import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the global log as stored rows, without deserializing payloads, so tools can inspect and
 * copy any application's store without its event classes. Same paging contract as
 * {@link dev.eventsource.store.EventLogReader#readAll(ReadOptions)}.
 */
public interface RecordedEventReader {

    /** The rows selected by {@code options}, lazily, page by page. */
    Stream<RecordedEvent> readRecorded(ReadOptions options);

    /**
     * One page of the rows {@code options} selects after {@code options.fromPosition()} (the start
     * of the log when absent) in its direction, read in one round trip: at most
     * {@link ReadOptions#rowsPerPage()} rows (the page size, or the limit when it is lower), and the
     * position the read got to (see {@link RecordedPage}).
     *
     * <p>Unlike {@link #readRecorded}, a forward page of a filtered read can be empty before the
     * end of the log: the stores of this library examine at most a window of positions per filtered
     * page (see {@code AbstractEventStore.SCAN_WINDOW}), unless one index walk serves the whole
     * filter, and then read up to the head; either way a poll that goes on from the last page's
     * position costs the rows appended since, not every row since the last selected event. Read on
     * from {@link RecordedPage#position()} until {@link RecordedPage#atEnd()}.
     *
     * <p>The default reads the page through {@link #readRecorded} and reports the last row it
     * returned as the position: correct, without that bound.
     */
    default RecordedPage readRecordedPage(ReadOptions options) {
        int max = options.rowsPerPage();
        long from = options.fromPosition().orElse(options.direction() == ReadDirection.FORWARD ? 0 : Long.MAX_VALUE);
        List<RecordedEvent> rows;
        try (Stream<RecordedEvent> page = readRecorded(options.toBuilder().limit(max).build())) {
            rows = page.toList();
        }
        return new RecordedPage(rows, rows.isEmpty() ? from : rows.get(rows.size() - 1).globalPosition(), rows.size() < max);
    }

    /** The rows of one stream with a version above {@code afterVersion}, and its current version. */
    RecordedStream readRecordedStream(StreamId stream, long afterVersion);

    /**
     * The streams holding events that {@code filter} selects, in the order they were started (by
     * the global position of their first selected event), a page at a time: the summary of each
     * counts only selected events. The filter's selection is used (event and aggregate types,
     * tenant, positions, times); its page size is ignored.
     *
     * <p>The default reads every selected row once; a store overrides it with an aggregate query
     * where its indexes serve one (SQLite, PostgreSQL), so printing one page does not move the log
     * through the process.
     *
     * @param offset streams to skip, from 0
     * @param limit  streams at most on the page, from 1
     * @throws IllegalArgumentException for a negative offset, a limit below 1, or a filter that
     *                                  reads backwards or has a limit of its own (both would change
     *                                  which streams come first)
     */
    default StreamPage listStreams(ReadOptions filter, long offset, int limit) {
        requireSummaryFilter(filter, offset, limit);
        Map<StreamId, long[]> streams = new LinkedHashMap<>();
        Map<StreamId, Instant> last = new java.util.HashMap<>();
        try (Stream<RecordedEvent> rows = readRecorded(filter)) {
            rows.forEach(row -> {
                long[] s = streams.computeIfAbsent(row.stream(), k -> new long[] {0, 0, row.globalPosition()});
                s[0] = Math.max(s[0], row.version());
                s[1]++;
                last.merge(row.stream(), row.occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
            });
        }
        List<StreamSummary> page = streams.entrySet().stream().skip(offset).limit(limit)
                .map(e -> new StreamSummary(e.getKey(), e.getValue()[0], e.getValue()[1], last.get(e.getKey()), e.getValue()[2]))
                .toList();
        return new StreamPage(streams.size(), page);
    }

    /**
     * Counts the events {@code filter} selects: in all, per event type and aggregate type, their
     * streams, and the first and last of them. The filter is used as in {@link #listStreams}.
     *
     * <p>The default reads every selected row once; a store overrides it with aggregate queries
     * where its indexes serve them (SQLite, PostgreSQL).
     *
     * @throws IllegalArgumentException for a filter that reads backwards or has a limit of its own
     */
    default LogStatistics statistics(ReadOptions filter) {
        requireSummaryFilter(filter, 0, 1);
        Map<String, Long> byEventType = new TreeMap<>();
        Map<String, Long> byAggregateType = new TreeMap<>();
        Set<StreamId> streams = new HashSet<>();
        long events = 0;
        RecordedEvent first = null;
        RecordedEvent lastRow = null;
        try (Stream<RecordedEvent> rows = readRecorded(filter)) {
            for (var it = rows.iterator(); it.hasNext(); ) {
                RecordedEvent row = it.next();
                events++;
                byEventType.merge(row.eventType(), 1L, Long::sum);
                byAggregateType.merge(row.aggregateType(), 1L, Long::sum);
                streams.add(row.stream());
                if (first == null) {
                    first = row;
                }
                lastRow = row;
            }
        }
        return new LogStatistics(events, streams.size(), first == null ? 0 : first.globalPosition(),
                lastRow == null ? 0 : lastRow.globalPosition(), first == null ? null : first.occurredAt(),
                lastRow == null ? null : lastRow.occurredAt(), byEventType, byAggregateType);
    }

    /** The checks of {@link #listStreams} and {@link #statistics}, for implementations that override them. */
    static void requireSummaryFilter(ReadOptions filter, long offset, int limit) {
        if (filter == null) {
            throw new IllegalArgumentException("filter must not be null; pass ReadOptions.ALL to count every event");
        }
        if (filter.direction() != ReadDirection.FORWARD || filter.limit().isPresent()) {
            throw new IllegalArgumentException("a stream listing or statistics filter selects events; it must read forward"
                    + " and have no limit of its own (got " + filter + "). Page the listing with offset and limit instead");
        }
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be at least 0 and limit at least 1; got offset " + offset
                    + ", limit " + limit);
        }
    }
}
