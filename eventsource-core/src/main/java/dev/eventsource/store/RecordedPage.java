package dev.eventsource.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of the global log as stored rows, and how far the store looked for them: what a reader
 * that polls a filtered selection (a subscription, a relay) needs so that it never reads the same
 * unselected rows twice.
 *
 * <p>{@code position} is where the read got to: reading on with {@code fromPosition(position)}
 * misses nothing and repeats nothing. Forward, every row the read's options select with a position
 * in {@code (fromPosition, position]} is in {@code rows}, and {@code position} never passes a place
 * where an event can still appear (on PostgreSQL, a position a transaction in flight may yet
 * commit): it can lie past the last row, where the store examined rows the filter does not select.
 * Backward, every selected row in {@code [position, fromPosition)} is in {@code rows}.
 *
 * <p>{@code atEnd} says that when the page was read nothing the options select lay beyond
 * {@code position}; a later read may find events appended since. When it is false, read on at once.
 *
 * @param rows     the selected rows, in the read's direction; never null
 * @param position where the read got to; at least 0
 * @param atEnd    whether the read reached the end of the log
 */
public record RecordedPage(List<RecordedEvent> rows, long position, boolean atEnd) {

    public RecordedPage {
        Objects.requireNonNull(rows, "rows");
        if (position < 0) {
            throw new IllegalArgumentException("a page's position must be at least 0; got " + position);
        }
        rows = List.copyOf(rows);
    }
}
