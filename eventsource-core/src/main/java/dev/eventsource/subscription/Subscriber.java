package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

/**
 * Receives the events of a subscription, one at a time, in global position order, on the
 * subscription's own thread.
 *
 * <p>Delivery is at-least-once: after a crash, events handled after the last saved checkpoint are
 * delivered again, so a handler that writes elsewhere should be idempotent (the
 * {@link StoredEvent#eventId()} is there to de-duplicate). For exactly-once in the events'
 * database, see {@link TransactionalProjection}. An exception fails the attempt: the event is
 * retried per the subscription's {@link RetryPolicy}, then dead-lettered.
 */
@FunctionalInterface
public interface Subscriber {

    void handle(StoredEvent event) throws Exception;
}
