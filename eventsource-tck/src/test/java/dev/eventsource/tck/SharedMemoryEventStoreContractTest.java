package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;

/**
 * Every suite, including {@link ReopenContract}, passes on a store whose data can be opened twice:
 * proof that the reopen suite is satisfiable and that {@link PersistentEventStoreContract} runs it.
 */
class SharedMemoryEventStoreContractTest extends PersistentEventStoreContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new SharedMemoryEventStore(new SharedMemoryEventStore.Database(), registry);
    }

    @Override
    protected EventStore reopen(EventStore store, EventRegistry registry) {
        return new SharedMemoryEventStore(((SharedMemoryEventStore) store).database(), registry);
    }
}
