package dev.eventsource.subscription;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * How far a subscription has got: the global position of the last event it handled (the next
 * read starts strictly after it), how many events it has handled since it started or was last
 * reset, and which event that was.
 *
 * @param subscription    the subscription's name; non-blank
 * @param position        the last handled global position; {@code >= 0} (0 means nothing yet)
 * @param eventsProcessed events handled since the start or the last reset; {@code >= 0}
 * @param lastEventId     the last handled event's id, or {@code null} when none
 * @param lastEventType   the last handled event's type, or {@code null} when none
 * @param updatedAt       when the checkpoint was saved
 */
public record Checkpoint(String subscription, long position, long eventsProcessed, UUID lastEventId,
                         String lastEventType, Instant updatedAt) {

    public Checkpoint {
        if (subscription == null || subscription.isBlank()) {
            throw new IllegalArgumentException("subscription must be a non-blank name");
        }
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0; got " + position);
        }
        if (eventsProcessed < 0) {
            throw new IllegalArgumentException("eventsProcessed must be >= 0; got " + eventsProcessed);
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
