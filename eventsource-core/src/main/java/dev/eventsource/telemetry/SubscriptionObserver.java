package dev.eventsource.telemetry;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Watches what a subscription does, without being part of it: the subscription machinery calls it,
 * and tracing and metrics ({@link SubscriptionTelemetry}) or an application's own monitoring plug in.
 *
 * <p>Contract, for the caller (the subscription loop):
 * <ul>
 *   <li>{@link #handlingBatch} before a batch read from the log is handled, on the handling thread;
 *       then exactly one of {@link Batch#handled} or {@link Batch#failed} on the returned
 *       {@link Batch}, on the same thread, after the batch (and its checkpoint, when one is saved
 *       with it). The handler runs inside the batch's span, so its own spans nest under it.</li>
 *   <li>{@link #attemptFailed} for every failed delivery attempt of one event (a retry that later
 *       succeeds still counts), {@link #deadLettered} once per event sent to the dead-letter store.</li>
 *   <li>{@link #register} once when the subscription starts; the returned handle is closed when it
 *       stops. The supplier is called by the metrics collector's thread, at collection time only.</li>
 * </ul>
 *
 * <p>An observer must be thread-safe, quick and must not block. An exception thrown by
 * {@code handlingBatch} or {@code register} fails that call (before any work); one thrown by
 * anything else must be swallowed by the caller: observing must never fail a handled batch. Every
 * method defaults to doing nothing.
 */
public interface SubscriptionObserver {

    /** Observes nothing. */
    SubscriptionObserver NONE = new SubscriptionObserver() {
        @Override
        public String toString() {
            return "SubscriptionObserver.NONE";
        }
    };

    /**
     * A batch of {@code events} events is about to be handled by {@code subscription}.
     *
     * @param subscription          the subscription's name
     * @param events                the number of events in the batch (at least 1)
     * @param firstPosition         the global position of its first event
     * @param lastPosition          the global position of its last event
     * @param producerTraceparents  the W3C traceparents the batch's events carry
     *                              ({@code EventMetadata.traceparent()}), without duplicates; empty when none does
     */
    default Batch handlingBatch(String subscription, int events, long firstPosition, long lastPosition,
                                List<String> producerTraceparents) {
        return Batch.NONE;
    }

    /** One delivery attempt of an event of type {@code eventType} failed with {@code error}. */
    default void attemptFailed(String subscription, String eventType, Throwable error) {
    }

    /** An event of type {@code eventType} went to the dead-letter store (after its last attempt, or as undecodable). */
    default void deadLettered(String subscription, String eventType) {
    }

    /**
     * A running subscription, whose state {@code state} reports when metrics are collected.
     *
     * @return closed when the subscription stops, so that it is no longer reported
     */
    default AutoCloseable register(String subscription, Supplier<State> state) {
        return () -> { };
    }

    /**
     * What a subscription reports at collection time.
     *
     * @param lagEvents   events in the log after the subscription's position (0 when caught up)
     * @param lag         how long the oldest of those has been waiting ({@link Duration#ZERO} when caught up)
     * @param deadLetters unresolved dead letters of the subscription
     */
    record State(long lagEvents, Duration lag, long deadLetters) {
        /**
         * @throws IllegalArgumentException if a count is negative or {@code lag} is null or negative
         */
        public State {
            if (lagEvents < 0 || deadLetters < 0 || lag == null || lag.isNegative()) {
                throw new IllegalArgumentException("lagEvents and deadLetters must be >= 0 and lag a non-negative duration;"
                        + " got " + lagEvents + ", " + lag + ", " + deadLetters);
            }
        }
    }

    /** The end of one batch; exactly one of its methods is called, once. */
    interface Batch {

        /** Nothing to do at the end. */
        Batch NONE = new Batch() {
            @Override
            public void handled(int processed, int deadLettered) {
            }

            @Override
            public void failed(Throwable error) {
            }
        };

        /** The batch is done: {@code processed} events handled, {@code deadLettered} sent to the dead-letter store. */
        void handled(int processed, int deadLettered);

        /** The batch stopped on {@code error} (the store or checkpoint store failed); it is read again later. */
        void failed(Throwable error);
    }
}
