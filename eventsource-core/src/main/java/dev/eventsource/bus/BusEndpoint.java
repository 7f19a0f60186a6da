package dev.eventsource.bus;

import java.time.Duration;

/**
 * What both sides of a bus share: counters and a shutdown with a deadline.
 *
 * <p>After shutdown starts, the endpoint refuses new work with {@link EventBusClosedException}.
 * Shutting down twice is harmless; the second call reports nothing undone.
 */
public interface BusEndpoint extends AutoCloseable {

    /** How long {@link #close()} waits for accepted work. */
    Duration DEFAULT_SHUTDOWN_DEADLINE = Duration.ofSeconds(30);

    /** The counters so far; cheap, callable at any time, also after shutdown. */
    BusStats stats();

    /**
     * Stops accepting work, waits up to {@code deadline} for accepted work to finish, then abandons
     * the rest and reports it. It never waits much longer than the deadline, even for a handler
     * that does not return (that call is reported as undelivered).
     *
     * @param deadline how long to wait; {@link Duration#ZERO} abandons at once; not negative
     * @throws IllegalArgumentException if {@code deadline} is negative
     */
    BusShutdownReport shutdown(Duration deadline);

    /** {@link #shutdown(Duration)} with {@link #DEFAULT_SHUTDOWN_DEADLINE}. */
    @Override
    default void close() {
        shutdown(DEFAULT_SHUTDOWN_DEADLINE);
    }
}
