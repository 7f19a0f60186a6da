package dev.eventsource.telemetry;

import java.util.function.Supplier;

/**
 * Watches what an {@link dev.eventsource.relay.EventRelay} does, without being part of it: the
 * relay calls it, and tracing and metrics ({@link RelayTelemetry}) or an application's own
 * monitoring plug in. The relay's counterpart of {@link SubscriptionObserver}.
 *
 * <p>Contract, for the caller (the relay):
 * <ul>
 *   <li>{@link #publishingBatch} on the relay's thread just before a batch read from the log is
 *       handed to the publisher; then exactly one of {@link Batch#acknowledged} or
 *       {@link Batch#failed} on the returned {@link Batch}, once the publisher settled the batch,
 *       on whatever thread settled it (a broker client's callback thread, say).</li>
 *   <li>{@link #register} once per start of the relay; the returned handle is closed when it
 *       stops. The supplier is called by the metrics collector's thread, at collection time only.</li>
 * </ul>
 *
 * <p>An observer must be thread-safe, quick and must not block. An exception thrown by
 * {@code publishingBatch} is swallowed and the batch published unobserved, one thrown by
 * {@code register} is swallowed and the relay runs unreported: observing never stops a relay.
 * Every method defaults to doing nothing.
 */
public interface RelayObserver {

    /** Observes nothing. */
    RelayObserver NONE = new RelayObserver() {
        @Override
        public String toString() {
            return "RelayObserver.NONE";
        }
    };

    /**
     * A batch of {@code events} events is about to be handed to the publisher by {@code relay}.
     *
     * @param relay         the relay's name
     * @param events        the number of events in the batch (at least 1)
     * @param firstPosition the global position of its first event
     * @param lastPosition  the global position of its last event
     * @return told how the batch ended; never null ({@link Batch#NONE} for nothing)
     */
    default Batch publishingBatch(String relay, int events, long firstPosition, long lastPosition) {
        return Batch.NONE;
    }

    /**
     * A running relay, whose state {@code state} reports when metrics are collected.
     *
     * @return closed when the relay stops, so that it is no longer reported
     */
    default AutoCloseable register(String relay, Supplier<State> state) {
        return () -> { };
    }

    /**
     * What a relay reports at collection time.
     *
     * @param lagEvents         events in the log after its last acknowledged position (0 when caught up)
     * @param publishedPosition the global position of the last acknowledged event (0 for none)
     * @param active            whether this instance is the one publishing (holds the relay's lock)
     */
    record State(long lagEvents, long publishedPosition, boolean active) {
        /**
         * @throws IllegalArgumentException if a number is negative
         */
        public State {
            if (lagEvents < 0 || publishedPosition < 0) {
                throw new IllegalArgumentException("lagEvents and publishedPosition must be >= 0; got " + lagEvents + " and "
                        + publishedPosition);
            }
        }
    }

    /** The end of one batch; exactly one of its methods is called, once. */
    interface Batch {

        /** Nothing to do at the end. */
        Batch NONE = new Batch() {
            @Override
            public void acknowledged() {
            }

            @Override
            public void failed(Throwable error) {
            }
        };

        /** The publisher acknowledged every event of the batch. */
        void acknowledged();

        /** The publisher refused the batch (or part of it) with {@code error}; it is published again after a backoff. */
        void failed(Throwable error);
    }
}
