package dev.eventsource.kafka;

import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventConsumer;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.tck.DurableEventBusContract;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The whole bus contract, durable groups included, against a real broker. */
class KafkaEventBusContractTest extends DurableEventBusContract {

    private final Map<EventBus, EventRegistry> registries = new ConcurrentHashMap<>();

    @Override
    protected EventBus newBus(EventRegistry registry) {
        KafkaEventBus bus = new KafkaEventBus(KafkaBuses.fresh().build(), registry);
        registries.put(bus, registry);
        return bus;
    }

    @Override
    protected EventConsumer newConsumer(EventBus bus) {
        KafkaEventBus kafka = (KafkaEventBus) bus;
        return new KafkaEventConsumer(kafka.config(), registries.get(bus));
    }
}
