package dev.eventsource.store;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The events of one stream, as one read saw them.
 *
 * @param aggregateId   the stream's aggregate id
 * @param aggregateType the stream's aggregate type
 * @param events        the events read, in version order (from the requested version on)
 * @param version       the stream's current version as seen by this read, whatever version the
 *                      read started from; 0 for a stream that does not exist
 */
public record EventStream(UUID aggregateId, String aggregateType, List<StoredEvent> events, long version) {

    public EventStream {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        events = List.copyOf(events);
    }

    /**
     * The stream that was read.
     *
     * @throws IllegalArgumentException as {@link StreamId} does, for a hand-built stream whose type
     *                                  could not name a stream
     */
    public StreamId streamId() {
        return new StreamId(aggregateType, aggregateId);
    }

    /** True when the read returned no events. */
    public boolean isEmpty() {
        return events.isEmpty();
    }
}
