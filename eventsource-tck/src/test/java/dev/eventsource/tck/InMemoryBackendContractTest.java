package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.InMemoryBackend;
import dev.eventsource.event.EventRegistry;

/** The in-memory backend's parts serve a decorated store. */
class InMemoryBackendContractTest extends BackendContract {

    @Override
    protected EventStoreBackend newBackend(EventRegistry registry) {
        return new InMemoryBackend(registry);
    }
}
