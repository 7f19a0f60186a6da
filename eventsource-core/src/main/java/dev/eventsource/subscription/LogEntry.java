package dev.eventsource.subscription;

import dev.eventsource.store.EventLogReader;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.spi.RecordedLog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One event of the global log as a subscription reads it: its place and time, known without
 * decoding, and its payload, decoded only when the subscription delivers it. Reading stored rows
 * and decoding each one here is what lets a subscription dead-letter the one row it cannot
 * decode instead of failing the whole page it sits in.
 */
final class LogEntry {

    private final RecordedEvent row;
    private final EventMapper mapper;
    private StoredEvent decoded;

    private LogEntry(RecordedEvent row, EventMapper mapper, StoredEvent decoded) {
        this.row = row;
        this.mapper = mapper;
        this.decoded = decoded;
    }

    /**
     * How a subscription reads the log: a stream of entries for a probe, and a page of entries with
     * the position the read got to for a batch (see {@link RecordedPage}).
     */
    interface Source {

        Stream<LogEntry> read(ReadOptions options);

        Page page(ReadOptions options);
    }

    /** One page: its entries, and where the read got to ({@link RecordedPage#position()}, {@link RecordedPage#atEnd()}). */
    record Page(List<LogEntry> entries, long position, boolean atEnd) {
    }

    /** How a subscription reads a {@link RecordedLog}: its stored rows, decoded one by one. */
    static Source rows(RecordedLog log) {
        EventMapper mapper = log.mapper();
        return new Source() {
            @Override
            public Stream<LogEntry> read(ReadOptions options) {
                return log.readRecorded(options).map(row -> new LogEntry(row, mapper, null));
            }

            @Override
            public Page page(ReadOptions options) {
                RecordedPage page = log.readRecordedPage(options);
                return new Page(page.rows().stream().map(row -> new LogEntry(row, mapper, null)).toList(), page.position(),
                        page.atEnd());
            }
        };
    }

    /**
     * How a subscription reads a store that offers only {@code readAll}, which decodes a whole page
     * at once, so that an undecodable event fails the page (the subscription then reports
     * {@link SubscriptionState#STALLED}). A page gets to its last event, and is at the end when short.
     */
    static Source decoded(EventLogReader log) {
        return new Source() {
            @Override
            public Stream<LogEntry> read(ReadOptions options) {
                return log.readAll(options).map(event -> new LogEntry(null, null, event));
            }

            @Override
            public Page page(ReadOptions options) {
                int max = options.limit().orElse(options.pageSize());
                List<LogEntry> entries;
                try (Stream<LogEntry> page = read(options)) {
                    entries = page.toList();
                }
                long position = entries.isEmpty() ? options.fromPosition().orElse(0) : entries.get(entries.size() - 1).globalPosition();
                return new Page(entries, position, entries.size() < max);
            }
        };
    }

    UUID eventId() {
        return row != null ? row.eventId() : decoded.eventId();
    }

    String eventType() {
        return row != null ? row.eventType() : decoded.eventType();
    }

    long globalPosition() {
        return row != null ? row.globalPosition() : decoded.globalPosition();
    }

    Instant recordedAt() {
        return row != null ? row.recordedAt() : decoded.recordedAt();
    }

    /** The payload for a dead letter: the stored JSON text when there is a row. */
    String payload() {
        return row != null ? row.payloadJson() : String.valueOf(decoded.event());
    }

    /** The decoded event, decoding it on first use; throws what the mapper throws, every time. */
    StoredEvent decode() {
        if (decoded == null) {
            decoded = mapper.toStoredEvent(row);
        }
        return decoded;
    }

    /** Whether {@link #decode()} has succeeded. */
    boolean isDecoded() {
        return decoded != null;
    }

    /** Decodes the event if it is not yet; what decoding threw, or {@code null} when it is decoded. */
    Throwable decodingFailure() {
        try {
            decode();
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            // Too deeply nested stored JSON overflows the parser's recursion: a fault of this row, not of the thread.
            return e;
        }
    }

    /** Names the event for an error message: id, type, position and, for a row, stream and version. */
    String describe() {
        String stream = row == null ? "" : " (stream " + row.aggregateType() + "/" + row.aggregateId() + ", version "
                + row.version() + ")";
        return "event " + eventId() + " of type '" + eventType() + "' at global position " + globalPosition() + stream;
    }
}
