package dev.eventsource.tck;

import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.EventRegistry;

/** The asynchronous in-process bus, on a pool it owns, honours every bus contract it declares. */
class AsynchronousInMemoryEventBusContractTest extends EventBusContract {

    @Override
    protected EventBus newBus(EventRegistry registry) {
        return InMemoryEventBus.asynchronous();
    }
}
