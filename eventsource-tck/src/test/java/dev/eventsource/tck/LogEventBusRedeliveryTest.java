package dev.eventsource.tck;

import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventConsumer;
import dev.eventsource.event.EventRegistry;

/** The redelivery suite can be passed: a bus that keeps group offsets in a broker outside its clients passes it. */
class LogEventBusRedeliveryTest extends EventBusRedeliveryContract {

    @Override
    protected EventBus newBus(EventRegistry registry) {
        return new LogEventBus(new LogEventBus.Broker());
    }

    @Override
    protected EventConsumer newConsumer(EventBus bus) {
        return new LogEventBus(((LogEventBus) bus).broker);
    }
}
