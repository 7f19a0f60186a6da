package dev.eventsource.store.spi;

/**
 * In-process wake-ups after appends through one store instance: what lets a live subscription in
 * the same process read new events at once instead of at its next poll.
 *
 * <p>A listener runs on the appending thread after every append through this store instance that
 * carried events, once its transaction committed. It is a wake-up, not a delivery: it says nothing
 * about which events were written (an idempotent retry that wrote nothing fires it too), and
 * listeners read the log to find out. A listener must return quickly and do no I/O; an exception it
 * throws is swallowed, so a listener can never fail an append. Writes by other store instances or
 * processes do not fire it.
 */
public interface AppendSignal {

    /** A signal that never fires, for a store that offers none. */
    AppendSignal NONE = listener -> () -> { };

    /**
     * Starts running {@code listener} after appends; closing the returned registration stops it
     * (closing twice is harmless).
     */
    Registration onAppend(Runnable listener);

    /** Stops a listener registered with {@link #onAppend}. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
