package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

import java.util.List;

/**
 * How a subscription hands events to its handler, and whether the checkpoint is written with
 * them: {@link PlainDelivery} for a {@link Subscriber} (checkpoints saved separately, per
 * strategy: at-least-once) or {@link TransactionalDelivery} for a {@link TransactionalProjection}
 * (handler and checkpoint in one transaction: exactly-once). Chosen once, when the manager
 * registers the subscription, so that the subscription's loop reads a batch, delivers it,
 * checkpoints and waits, without asking which kind of handler it has.
 *
 * <p>Retries, dead letters and positions are the subscription's: a delivery only makes one
 * attempt and reports its outcome by returning or throwing. Called on the subscription's thread
 * (or, for {@link #redeliver}, the caller's), under the subscription's work lock, never concurrently.
 */
interface Delivery {

    /**
     * Whether the handler takes runs of decoded events in one call ({@link #deliverBatch}), with the
     * checkpoint saved by the subscription after each call; false for one event per call.
     */
    default boolean takesBatches() {
        return false;
    }

    /**
     * Hands {@code events} to the handler in one call: one attempt. The subscription calls it only
     * when {@link #takesBatches()}; by default it hands them over one by one.
     *
     * @throws Exception what the handler threw; the whole run counts as not handled
     */
    default void deliverBatch(List<StoredEvent> events) throws Exception {
        for (StoredEvent event : events) {
            deliver(event, 0);
        }
    }

    /**
     * Hands every event of {@code batch} to the handler as one unit committed together with the
     * checkpoint past its last event.
     *
     * @param eventsProcessed the subscription's count of handled events once the batch is, for that checkpoint
     * @return true if the events and the checkpoint are committed; false if nothing was written,
     *         because this delivery has no such unit, an event cannot be decoded, or the handler or
     *         the commit failed (rolled back): the subscription then delivers the batch event by event,
     *         which finds and retries only the failing event
     */
    boolean deliverAsOne(List<LogEntry> batch, long eventsProcessed);

    /**
     * Hands {@code event} to the handler: one attempt, in order, as the subscription's next event.
     * A delivery that writes checkpoints with events commits the checkpoint covering
     * {@code event} with the handler's work, or neither.
     *
     * @param eventsProcessed the subscription's count of handled events once this one is, for that checkpoint
     * @return whether the checkpoint was saved, so that the subscription need not save it again
     * @throws Exception what the handler (or the transaction around it) threw; nothing of this
     *                   attempt was committed by a transactional delivery
     */
    boolean deliver(StoredEvent event, long eventsProcessed) throws Exception;

    /**
     * Hands a dead-lettered {@code event} to the handler again, out of order: the subscription has
     * gone past it, so its checkpoint is never touched.
     *
     * @throws Exception what the handler threw
     */
    void redeliver(StoredEvent event) throws Exception;

    /**
     * The work a rebuild runs between two batches to empty the read model and forget the
     * subscription's checkpoint; nothing is reset until it runs.
     *
     * @throws IllegalArgumentException at once, if the handler keeps no read model (a plain
     *                                  {@link Subscriber}): there is nothing to rebuild
     */
    Reset readModelReset();

    /** A read-model reset, prepared by {@link #readModelReset}; throws what the reset threw. */
    @FunctionalInterface
    interface Reset {
        void run() throws Exception;
    }
}
