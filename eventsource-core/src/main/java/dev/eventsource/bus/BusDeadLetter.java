package dev.eventsource.bus;

import dev.eventsource.store.StoredEvent;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a consumer group could not handle within its retry budget.
 *
 * @param id             opaque, unique within the bus; what {@link BusDeadLetters#replay} and
 *                       {@link BusDeadLetters#discard} take
 * @param group          the group's name
 * @param event          the event, with its envelope
 * @param error          the last failure's class and message
 * @param attempts       handler calls that failed in all, replays included; {@code >= 1}
 * @param deadLetteredAt when it was (last) dead-lettered
 */
public record BusDeadLetter(String id, String group, StoredEvent event, String error, int attempts,
                            Instant deadLetteredAt) {

    public BusDeadLetter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1; got " + attempts);
        }
    }
}
