package dev.eventsource.store;

import java.util.List;

/**
 * A page of {@link RecordedEventReader#listStreams}: the streams at the offset asked for, oldest
 * first, and how many streams the filter selects in all.
 *
 * @param total   streams with at least one selected event
 * @param streams the page, at most the limit asked for, ordered by {@link StreamSummary#firstPosition()}
 */
public record StreamPage(long total, List<StreamSummary> streams) {

    /** Copies the list; refuses a negative total. */
    public StreamPage {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative; got " + total);
        }
        streams = List.copyOf(streams);
    }
}
