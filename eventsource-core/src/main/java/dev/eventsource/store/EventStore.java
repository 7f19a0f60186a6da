package dev.eventsource.store;

/**
 * An append-only log of domain events, organised in streams, with one global order.
 *
 * <p>Every implementation honours the same contract (pinned by the {@code eventsource-tck}
 * suites): see {@link EventAppender}, {@link StreamReader}, {@link EventLogReader} and
 * {@link EventLookup}. Stores are thread-safe and may be shared by any number of threads,
 * including virtual threads.
 *
 * <p>Lifecycle: {@link #initialize()} connects if needed and creates or migrates the schema; it
 * is idempotent. Operations on a store that was not initialized initialize it first. After
 * {@link #close()} every operation throws {@link StoreClosedException}; closing twice is
 * harmless.
 */
public interface EventStore extends EventAppender, StreamReader, EventLogReader, EventLookup, AutoCloseable {

    /** Connects if needed and creates or upgrades the schema; idempotent. */
    void initialize();

    /** Releases connections and files; idempotent. Throws no checked exception. */
    @Override
    void close();
}
