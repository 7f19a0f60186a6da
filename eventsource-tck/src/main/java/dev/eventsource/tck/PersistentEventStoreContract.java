package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import org.junit.jupiter.api.Nested;

/**
 * Every contract suite for a backend whose data can be opened by a second store instance: all of
 * {@link EventStoreContract} plus {@link ReopenContract}. A backend implements
 * {@link #newStore(EventRegistry)} and {@link #reopen(EventStore, EventRegistry)}.
 *
 * <pre>{@code
 * class SQLiteEventStoreContractTest extends PersistentEventStoreContract {
 *     @TempDir Path dir;
 *     protected EventStore newStore(EventRegistry registry) {
 *         return new SQLiteEventStore(dir.resolve(UUID.randomUUID() + ".db").toString(), registry);
 *     }
 *     protected EventStore reopen(EventStore store, EventRegistry registry) {
 *         return new SQLiteEventStore(((SQLiteEventStore) store).database(), registry);
 *     }
 * }
 * }</pre>
 */
public abstract class PersistentEventStoreContract extends EventStoreContract {

    /** A new store over the same data as {@code store}, using {@code registry}; see {@link ReopenContract#reopen}. */
    protected abstract EventStore reopen(EventStore store, EventRegistry registry);

    @Nested
    class Reopen extends ReopenContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return PersistentEventStoreContract.this.newStore(registry);
        }

        @Override
        protected EventStore reopen(EventStore store, EventRegistry registry) {
            return PersistentEventStoreContract.this.reopen(store, registry);
        }
    }
}
