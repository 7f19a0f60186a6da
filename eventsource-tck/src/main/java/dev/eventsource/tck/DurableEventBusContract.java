package dev.eventsource.tck;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventConsumer;
import dev.eventsource.event.EventRegistry;
import org.junit.jupiter.api.Nested;

import java.time.Duration;

/**
 * {@link EventBusContract} plus {@link EventBusRedeliveryContract}, for a bus that declares
 * {@link BusCapability#DURABLE_GROUPS}: it also implements {@link #newConsumer(EventBus)}, a new
 * consumer of the same bus as a restarted process would open it.
 */
public abstract class DurableEventBusContract extends EventBusContract {

    /** A new consumer of {@code bus}'s events, independent of {@code bus}'s own consumer side. */
    protected abstract EventConsumer newConsumer(EventBus bus);

    @Nested
    class Redelivery extends EventBusRedeliveryContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return DurableEventBusContract.this.newBus(registry);
        }

        @Override
        protected EventConsumer newConsumer(EventBus bus) {
            return DurableEventBusContract.this.newConsumer(bus);
        }

        @Override
        protected Duration timeout() {
            return DurableEventBusContract.this.timeout();
        }
    }
}
