package dev.eventsource.store;

import java.util.List;
import java.util.UUID;

/**
 * The outcome of a successful append.
 *
 * @param newVersion      the stream's version after the append (for an idempotent retry: the
 *                        version the original append produced)
 * @param globalPosition  the global position of the last event the append wrote (for a retry: of
 *                        the last event of the original append); 0 when the append wrote nothing
 * @param skippedEventIds ids of events that were not written because an event with that id was
 *                        already stored in another place; skipped events consume no version
 */
public record AppendResult(long newVersion, long globalPosition, List<UUID> skippedEventIds) {

    public AppendResult {
        if (newVersion < 0 || globalPosition < 0) {
            throw new IllegalArgumentException("versions and positions are never negative");
        }
        skippedEventIds = List.copyOf(skippedEventIds);
    }

    public AppendResult(long newVersion, long globalPosition) {
        this(newVersion, globalPosition, List.of());
    }
}
