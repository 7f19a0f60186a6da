package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

import java.util.List;
import java.util.Objects;

/**
 * Delivery to a {@link Subscriber}: the handler writes wherever it likes, and the subscription
 * saves the checkpoint separately, per its {@link CheckpointStrategy}, so events handled after
 * the last save are delivered again after a crash (at-least-once). Only a {@link Projection} can
 * be rebuilt: its {@link Projection#reset()} runs, then its checkpoint is forgotten.
 */
final class PlainDelivery implements Delivery {

    private final String subscription;
    private final Subscriber subscriber;
    private final CheckpointStore checkpoints;

    PlainDelivery(String subscription, Subscriber subscriber, CheckpointStore checkpoints) {
        this.subscription = subscription;
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /** Always false: without a transaction there is nothing that could commit a batch as one unit. */
    @Override
    public boolean deliverAsOne(List<LogEntry> batch, long eventsProcessed) {
        return false;
    }

    /** Calls the handler; never saves the checkpoint, which is the checkpoint strategy's to save. */
    @Override
    public boolean deliver(StoredEvent event, long eventsProcessed) throws Exception {
        subscriber.handle(event);
        return false;
    }

    @Override
    public void redeliver(StoredEvent event) throws Exception {
        subscriber.handle(event);
    }

    @Override
    public Reset readModelReset() {
        if (!(subscriber instanceof Projection projection)) {
            throw new IllegalArgumentException("subscription '" + subscription + "' has a plain Subscriber, which has no"
                    + " read model to reset; implement Projection (or TransactionalProjection) to rebuild it");
        }
        return () -> {
            projection.reset();
            checkpoints.reset(subscription);
        };
    }
}
