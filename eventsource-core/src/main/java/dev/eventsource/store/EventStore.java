package dev.eventsource.store;


import dev.eventsource.store.spi.RecordedLog;
import java.util.Optional;
import java.util.UUID;

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

    /** The current version of a stream, as a point query; 0 when it does not exist. */
    @Override
    long getStreamVersion(UUID aggregateId, String aggregateType);

    /** Connects if needed and creates or upgrades the schema; idempotent. */
    void initialize();

    /**
     * This store's stored rows, mapper and in-process append signal, for consumers built from the
     * store alone ({@code SubscriptionManager.builder(store)}, {@code new AggregateRepository<>(store, ...)}):
     * present for every store built on {@link dev.eventsource.store.spi.AbstractEventStore}, empty
     * by default. A decorator returns its delegate's, or wires its consumers from the backend's
     * roles instead ({@code dev.eventsource.backend.EventStoreBackend}); one that returns empty
     * gets subscriptions that decode a page at a time and wake up only on their poll.
     */
    default Optional<RecordedLog> recordedLog() {
        return Optional.empty();
    }

    /**
     * This store's {@linkplain TenantGuardedAppender owner-checked appends}, which a
     * {@linkplain dev.eventsource.tenant.TenantScopedEventStore tenant-scoped view} uses to refuse
     * another tenant's stream inside the append itself: present for every store built on
     * {@link dev.eventsource.store.spi.AbstractEventStore} (each built-in backend checks in its own
     * append statement or transaction), empty by default. A view over a store that offers none
     * checks the stream's head first and appends expecting the version it checked (one more round
     * trip, just as safe). A decorator that does not change appends returns its delegate's; one
     * that does returns its own, or empty.
     */
    default Optional<TenantGuardedAppender> tenantGuardedAppender() {
        return Optional.empty();
    }

    /**
     * The one tenant this store shows, if it is a tenant's view of a shared store
     * ({@link dev.eventsource.tenant.TenantScopedEventStore} answers its tenant); empty by default.
     * What is built on the store and keeps state by name elsewhere uses it to keep that state per
     * tenant: a {@code SubscriptionManager} built on a view qualifies its checkpoint names by it. A
     * decorator returns its delegate's.
     */
    default Optional<String> tenantScope() {
        return Optional.empty();
    }

    /** Releases connections and files; idempotent. Throws no checked exception. */
    @Override
    void close();
}
