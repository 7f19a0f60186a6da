package dev.eventsource.bus;

import dev.eventsource.store.StoredEvent;

import java.util.List;
import java.util.Objects;

/**
 * The publishing side of a bus: hands stored events, envelopes included, to the bus.
 *
 * <p>{@link #publish(List)} returns once the bus has <em>accepted</em> every event: a synchronous
 * in-process bus after every handler ran, an asynchronous one once the events are queued, a broker
 * adapter once the broker acknowledged them all. That is what a relay waits for before it advances
 * its checkpoint. If it throws for another reason than bad input or shutdown, some of the events
 * may have been published: publish them all again (consumers see duplicates, never a gap).
 *
 * <p>Order: the events of one aggregate are delivered in the order they were published, within a
 * list and across calls from one thread. Calls from several threads are ordered as they reach the
 * bus, so a publisher that needs the store's order publishes from one thread, as a relay does.
 *
 * <p>Refused, before anything of the list is published: a null list ({@link NullPointerException});
 * a null element, or an event that is not a stored one (no event id, aggregate id, type, payload or
 * metadata, or a version or global position below 1), with {@link IllegalArgumentException}; any
 * call after shutdown with {@link EventBusClosedException}.
 */
public interface EventPublisher extends BusEndpoint {

    /**
     * Publishes {@code events} in list order.
     *
     * @throws IllegalArgumentException if an event is not a stored event (see above)
     * @throws EventBusClosedException  after shutdown
     */
    void publish(List<StoredEvent> events);

    /** Publishes one event; see {@link #publish(List)}. */
    default void publish(StoredEvent event) {
        publish(List.of(checkPublishable(event)));
    }

    /**
     * Checks that {@code events} can be published and returns them as an unmodifiable list. Every
     * implementation calls it first, so that every bus refuses the same input with the same message.
     *
     * @throws IllegalArgumentException naming the first event that is not a stored event
     */
    static List<StoredEvent> checkPublishable(List<StoredEvent> events) {
        Objects.requireNonNull(events, "events must not be null; publish a list of stored events");
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new IllegalArgumentException("events[" + i + "] is null; publish stored events only");
            }
            checkPublishable(events.get(i));
        }
        return List.copyOf(events);
    }

    private static StoredEvent checkPublishable(StoredEvent e) {
        Objects.requireNonNull(e, "event must not be null; publish a stored event");
        String missing = e.eventId() == null ? "eventId"
                : e.aggregateId() == null ? "aggregateId"
                : e.eventType() == null || e.eventType().isBlank() ? "eventType"
                : e.event() == null ? "the payload (event)"
                : e.metadata() == null ? "metadata" : null;
        if (missing != null) {
            throw new IllegalArgumentException("cannot publish an event without " + missing + ": " + e
                    + "; publish the StoredEvents the store returned, which carry their whole envelope");
        }
        if (e.version() < 1 || e.globalPosition() < 1) {
            throw new IllegalArgumentException("cannot publish event " + e.eventId() + " with version " + e.version()
                    + " and global position " + e.globalPosition() + ": both start at 1 for a stored event;"
                    + " publish after the append committed, with the envelopes the store returned");
        }
        return e;
    }
}
