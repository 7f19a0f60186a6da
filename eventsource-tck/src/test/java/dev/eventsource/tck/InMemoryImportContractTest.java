package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryEventStore;

/** The in-memory store, the reference importer, honours the import contract. */
class InMemoryImportContractTest extends ImportContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new InMemoryEventStore(registry);
    }
}
