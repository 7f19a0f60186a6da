package dev.eventsource.store;

import java.util.stream.Stream;

/**
 * The global-read role of an event store: every event of every stream, in global position order.
 *
 * <p>The returned stream is lazy and paged (see {@link ReadOptions#pageSize()}): memory stays
 * bounded by the page size however large the store, and no connection or cursor is held between
 * pages, so a slow consumer never blocks writers. Close it (try-with-resources) when you stop
 * early. A reader that has seen position {@code p} never later receives an event below {@code p}.
 */
public interface EventLogReader {

    /** The events selected by {@code options}. */
    Stream<StoredEvent> readAll(ReadOptions options);

    /** Every event, oldest first. */
    default Stream<StoredEvent> readAll() {
        return readAll(ReadOptions.ALL);
    }
}
