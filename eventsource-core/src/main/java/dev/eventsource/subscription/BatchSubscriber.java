package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

import java.util.List;

/**
 * Receives the events of a subscription a batch at a time, in global position order, on the
 * subscription's own thread: one call per run of decodable events of a read batch (at most
 * {@link SubscriptionOptions#batchSize()} events, never empty). Registered with
 * {@link SubscriptionManager#subscribeBatches(String, BatchSubscriber, SubscriptionOptions)}.
 *
 * <p>The checkpoint moves past a batch only after {@link #handleBatch} returned, so delivery is
 * at-least-once, as for a {@link Subscriber}: after a crash, or after a failed attempt, the whole
 * batch comes again. An exception fails the attempt for the whole batch, which is retried as a
 * whole per the subscription's {@link RetryPolicy}; once the budget is spent, the batch is handed
 * over again one event per call, each with the full budget, so that only the failing event is
 * dead-lettered. A policy with {@link RetryPolicy#forever unlimited attempts} never dead-letters
 * a handler failure (for a handler that must not skip an event). Pausing or stopping cuts a retry
 * wait short; the batch is then handed over again when the subscription resumes.
 *
 * <p>An event this process cannot decode is never handed over: it ends the batch before it and is
 * dead-lettered on its own (see {@link SubscriptionManager}), so a batch holds decoded events only.
 */
@FunctionalInterface
public interface BatchSubscriber {

    /**
     * Handles {@code events}, in order; returning means all of them are handled.
     *
     * @param events the batch: non-empty, unmodifiable, in global position order
     * @throws Exception to fail this attempt for the whole batch
     */
    void handleBatch(List<StoredEvent> events) throws Exception;
}
