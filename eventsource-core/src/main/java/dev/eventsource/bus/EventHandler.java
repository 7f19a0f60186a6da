package dev.eventsource.bus;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.StoredEvent;

/**
 * Handles the events a bus delivers to one subscription.
 *
 * <p>It gets the payload and the envelope it was stored with (event id, aggregate, version, global
 * position, metadata). Delivery is at-least-once: a bus may deliver an event again (a replayed dead
 * letter, a broker consumer that restarted before it acknowledged), so a handler with effects
 * elsewhere de-duplicates on {@link StoredEvent#eventId()}. An exception fails the attempt: the bus
 * retries per the group's {@link dev.eventsource.subscription.RetryPolicy}, then dead-letters the
 * event; it never reaches the publisher or the group's other events.
 *
 * @param <E> the payload type this handler accepts
 */
@FunctionalInterface
public interface EventHandler<E extends DomainEvent> {

    /** Handles one event; throw to fail the attempt. */
    void handle(E event, StoredEvent envelope) throws Exception;
}
