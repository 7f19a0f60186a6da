package dev.eventsource.tck;

import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.EventRegistry;

/** The synchronous in-process bus honours every bus contract it declares. */
class InMemoryEventBusContractTest extends EventBusContract {

    @Override
    protected EventBus newBus(EventRegistry registry) {
        return new InMemoryEventBus();
    }
}
