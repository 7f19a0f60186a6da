package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

import java.util.List;
import java.util.Objects;

/**
 * Delivery to a {@link BatchSubscriber}: runs of decoded events in one call, the checkpoint saved
 * by the subscription after the call returned (at-least-once). When the subscription falls back to
 * event by event (the batch's retry budget is spent), each event is a batch of one.
 */
final class BatchDelivery implements Delivery {

    private final String subscription;
    private final BatchSubscriber subscriber;

    BatchDelivery(String subscription, BatchSubscriber subscriber) {
        this.subscription = subscription;
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
    }

    @Override
    public boolean takesBatches() {
        return true;
    }

    @Override
    public void deliverBatch(List<StoredEvent> events) throws Exception {
        subscriber.handleBatch(events);
    }

    /** Always false: a batch is committed by the checkpoint the subscription saves after it. */
    @Override
    public boolean deliverAsOne(List<LogEntry> batch, long eventsProcessed) {
        return false;
    }

    @Override
    public boolean deliver(StoredEvent event, long eventsProcessed) throws Exception {
        subscriber.handleBatch(List.of(event));
        return false;
    }

    @Override
    public void redeliver(StoredEvent event) throws Exception {
        subscriber.handleBatch(List.of(event));
    }

    @Override
    public Reset readModelReset() {
        throw new IllegalArgumentException("subscription '" + subscription + "' has a BatchSubscriber, which has no"
                + " read model to reset; implement Projection (or TransactionalProjection) to rebuild it");
    }
}
