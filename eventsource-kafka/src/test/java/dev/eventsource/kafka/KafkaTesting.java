package dev.eventsource.kafka;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Events, raw clients and waiting, for the Kafka-specific tests. */
final class KafkaTesting {

    static final Duration TIMEOUT = Duration.ofMinutes(1);

    /** The events these tests publish. */
    sealed interface Shop extends DomainEvent permits Shop.Ordered, Shop.Shipped {
        record Ordered(String item, int quantity) implements Shop {
        }

        record Shipped(String carrier) implements Shop {
        }
    }

    /** A type the consumers' registries do not know until a test registers it. */
    record Refunded(String reason) implements DomainEvent {
    }

    private final AtomicLong positions = new AtomicLong();
    private final Map<UUID, Long> versions = new HashMap<>();

    static EventRegistry registry() {
        EventRegistry registry = new EventRegistry();
        registry.register(Shop.class);
        return registry;
    }

    synchronized StoredEvent stored(UUID aggregateId, DomainEvent event, EventMetadata metadata) {
        long version = versions.merge(aggregateId, 1L, Long::sum);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new StoredEvent(UUID.randomUUID(), EventRegistry.typeName(event.getClass()), aggregateId, "Order", version,
                positions.incrementAndGet(), now, now, metadata, event);
    }

    StoredEvent ordered(UUID aggregateId) {
        return stored(aggregateId, new Shop.Ordered("book", 1), EventMetadata.EMPTY);
    }

    /** {@code perAggregate} events of each of {@code aggregates} new aggregates, interleaved. */
    List<StoredEvent> interleaved(int aggregates, int perAggregate) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < aggregates; i++) {
            ids.add(UUID.randomUUID());
        }
        List<StoredEvent> events = new ArrayList<>();
        for (int v = 0; v < perAggregate; v++) {
            for (UUID id : ids) {
                events.add(ordered(id));
            }
        }
        return events;
    }

    static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Every message of {@code topic} until {@code count} arrived (or the timeout), read by a fresh group from the start. */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, KafkaTestBroker.uniqueName("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    static void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
