package dev.eventsource.kafka;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.BusDeadLetter;
import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.Objects;
import java.util.Set;

/**
 * A whole bus on Kafka: a {@link KafkaEventPublisher} and a {@link KafkaEventConsumer} on one
 * {@link KafkaBusConfig}. It declares {@link BusCapability#DURABLE_GROUPS}; see the two sides for
 * what each guarantees and refuses. Processes that only publish (a relay) or only consume should
 * open that side alone.
 *
 * <p>{@link #shutdown(Duration)} closes the publisher, then shuts the consumer down within the
 * deadline: members first handle what was in their partitions when it started.
 */
public final class KafkaEventBus implements EventBus {

    private final KafkaEventPublisher publisher;
    private final KafkaEventConsumer consumer;

    /**
     * A bus on the broker of {@code config}, serializing and decoding with {@code registry}.
     *
     * @throws NullPointerException if an argument is null
     */
    public KafkaEventBus(KafkaBusConfig config, EventRegistry registry) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        this.publisher = new KafkaEventPublisher(config, registry);
        this.consumer = new KafkaEventConsumer(config, registry);
    }

    /** The configuration of this bus. */
    public KafkaBusConfig config() {
        return publisher.config();
    }

    @Override
    public void publish(List<StoredEvent> events) {
        publisher.publish(events);
    }

    /** As {@link KafkaEventPublisher#publishRows}: the stored documents go out as they are. */
    @Override
    public CompletableFuture<Void> publishRows(List<RecordedEvent> rows, Function<RecordedEvent, StoredEvent> decoder) {
        return publisher.publishRows(rows, decoder);
    }

    @Override
    public BusSubscription subscribe(ConsumerGroup group, EventHandler<DomainEvent> handler) {
        return consumer.subscribe(group, handler);
    }

    @Override
    public Set<BusCapability> capabilities() {
        return consumer.capabilities();
    }

    @Override
    public List<BusDeadLetter> deadLetters(String group) {
        return consumer.deadLetters(group);
    }

    @Override
    public boolean replay(String id) {
        return consumer.replay(id);
    }

    @Override
    public boolean discard(String id) {
        return consumer.discard(id);
    }

    @Override
    public BusStats stats() {
        BusStats c = consumer.stats();
        return new BusStats(publisher.stats().published(), c.delivered(), c.failed(), c.deadLettered(), c.pending(),
                c.subscribers());
    }

    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must not be negative; got " + deadline);
        }
        publisher.shutdown(deadline);
        return consumer.shutdown(deadline);
    }

    @Override
    public String toString() {
        return "KafkaEventBus[" + config().bootstrapServers() + " " + config().consumedTopics() + "]";
    }
}
