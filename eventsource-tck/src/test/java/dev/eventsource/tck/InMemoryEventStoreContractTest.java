package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryEventStore;

/** The in-memory store honours every contract (it lives here because core cannot depend on the TCK). */
class InMemoryEventStoreContractTest extends EventStoreContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new InMemoryEventStore(registry);
    }
}
