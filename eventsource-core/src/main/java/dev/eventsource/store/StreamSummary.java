package dev.eventsource.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One stream as {@link RecordedEventReader#listStreams} lists it, counting only the events the
 * filter selected.
 *
 * @param stream        the stream
 * @param version       the highest version among the selected events
 * @param events        how many of its events were selected
 * @param lastEventAt   the latest occurrence time among them
 * @param firstPosition the global position of the first of them; streams are listed in this order
 */
public record StreamSummary(StreamId stream, long version, long events, Instant lastEventAt, long firstPosition) {

    /** Refuses a missing stream or time and counts below 1: a listed stream has at least one event. */
    public StreamSummary {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(lastEventAt, "lastEventAt");
        if (version < 1 || events < 1 || firstPosition < 1) {
            throw new IllegalArgumentException("a listed stream has a version, an event count and a first position from 1;"
                    + " got version " + version + ", events " + events + ", first position " + firstPosition);
        }
    }
}
