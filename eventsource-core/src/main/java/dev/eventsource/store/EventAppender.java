package dev.eventsource.store;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The append role of an event store: adds events to the end of one stream, atomically, under an
 * optimistic concurrency check.
 *
 * <p>Contract, shared by every backend and pinned by the TCK:
 * <ul>
 *   <li>A stream is keyed by (aggregateType, aggregateId).</li>
 *   <li>All events of one append are written, with consecutive versions, or none is.</li>
 *   <li>If {@code expected} does not hold, {@link OptimisticLockException} is thrown carrying the
 *       expected and the actual version, and nothing is written.</li>
 *   <li>Idempotency: an append whose event ids are already stored, in this stream, right after
 *       the expected version, is a retry; it writes nothing and returns the original result. An
 *       event whose id is already stored elsewhere is skipped, consumes no version, and is
 *       reported in {@link AppendResult#skippedEventIds()}.</li>
 *   <li>An empty list writes nothing but is still checked against {@code expected}.</li>
 *   <li>Refused before anything is written: a null or blank argument, two events with one id in
 *       the same append ({@link IllegalArgumentException}); an event that cannot be serialized
 *       or whose type name belongs to another class ({@code SerializationException},
 *       {@code DuplicateEventTypeException}).</li>
 * </ul>
 */
public interface EventAppender {

    /**
     * Appends events, each with its own id, occurrence time and metadata.
     *
     * @return the stream's new version and the global position of the last event written
     */
    AppendResult append(UUID aggregateId, String aggregateType, List<NewEvent> events, ExpectedVersion expected);

    /**
     * Appends to {@code stream}; exactly {@link #append(UUID, String, List, ExpectedVersion)}.
     *
     * @throws IllegalArgumentException if {@code stream} is null, or as that method does
     */
    default AppendResult append(StreamId stream, List<NewEvent> events, ExpectedVersion expected) {
        StreamId s = StreamId.require(stream);
        return append(s.aggregateId(), s.aggregateType(), events, expected);
    }

    /** Appends events with random ids, occurring now, without metadata. */
    default AppendResult appendEvents(UUID aggregateId, String aggregateType, List<? extends DomainEvent> events,
                                      ExpectedVersion expected) {
        return appendEvents(aggregateId, aggregateType, events, expected, EventMetadata.EMPTY);
    }

    /** Appends events with random ids, occurring now, all carrying {@code metadata}. */
    default AppendResult appendEvents(UUID aggregateId, String aggregateType, List<? extends DomainEvent> events,
                                      ExpectedVersion expected, EventMetadata metadata) {
        if (events == null) {
            throw new IllegalArgumentException("events must not be null; pass List.of() for an empty append");
        }
        List<NewEvent> wrapped = new ArrayList<>(events.size());
        for (DomainEvent e : events) {
            if (e == null) {
                throw new IllegalArgumentException("events must not contain null");
            }
            wrapped.add(NewEvent.of(e, metadata));
        }
        return append(aggregateId, aggregateType, wrapped, expected);
    }

    /**
     * Appends to {@code stream} with random ids, occurring now, without metadata; exactly
     * {@link #appendEvents(UUID, String, List, ExpectedVersion)}.
     *
     * @throws IllegalArgumentException if {@code stream} is null, or as that method does
     */
    default AppendResult appendEvents(StreamId stream, List<? extends DomainEvent> events, ExpectedVersion expected) {
        StreamId s = StreamId.require(stream);
        return appendEvents(s.aggregateId(), s.aggregateType(), events, expected);
    }

    /**
     * Appends to {@code stream} with random ids, occurring now, all carrying {@code metadata};
     * exactly {@link #appendEvents(UUID, String, List, ExpectedVersion, EventMetadata)}.
     *
     * @throws IllegalArgumentException if {@code stream} is null, or as that method does
     */
    default AppendResult appendEvents(StreamId stream, List<? extends DomainEvent> events, ExpectedVersion expected,
                                      EventMetadata metadata) {
        StreamId s = StreamId.require(stream);
        return appendEvents(s.aggregateId(), s.aggregateType(), events, expected, metadata);
    }
}
