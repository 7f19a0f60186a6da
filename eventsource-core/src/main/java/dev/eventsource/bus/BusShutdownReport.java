package dev.eventsource.bus;

import dev.eventsource.store.StoredEvent;

import java.util.List;
import java.util.Objects;

/**
 * What a shutdown left undone when its deadline passed.
 *
 * @param undelivered the deliveries that had not finished, in the order they were accepted: never
 *                    started, or still running in a handler at the deadline (such a call may still
 *                    complete; count it as not delivered, as at-least-once delivery does)
 */
public record BusShutdownReport(List<Undelivered> undelivered) {

    /** Nothing left undone. */
    public static final BusShutdownReport COMPLETE = new BusShutdownReport(List.of());

    public BusShutdownReport {
        undelivered = List.copyOf(undelivered);
    }

    /** True when every accepted delivery finished before the deadline. */
    public boolean isComplete() {
        return undelivered.isEmpty();
    }

    /**
     * One event not delivered to one group.
     *
     * @param group the group's name
     * @param event the event
     */
    public record Undelivered(String group, StoredEvent event) {
        public Undelivered {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(event, "event");
        }
    }
}
