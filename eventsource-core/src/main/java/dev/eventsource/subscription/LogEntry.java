package dev.eventsource.subscription;

import dev.eventsource.store.EventLogReader;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.spi.RecordedLog;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
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

    /** How a subscription reads a {@link RecordedLog}: its stored rows, decoded one by one. */
    static Function<ReadOptions, Stream<LogEntry>> rows(RecordedLog log) {
        EventMapper mapper = log.mapper();
        return options -> log.readRecorded(options).map(row -> new LogEntry(row, mapper, null));
    }

    /**
     * How a subscription reads a store that offers only {@code readAll}, which decodes a whole page
     * at once, so that an undecodable event fails the page (the subscription then reports
     * {@link SubscriptionState#STALLED}).
     */
    static Function<ReadOptions, Stream<LogEntry>> decoded(EventLogReader log) {
        return options -> log.readAll(options).map(event -> new LogEntry(null, null, event));
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
