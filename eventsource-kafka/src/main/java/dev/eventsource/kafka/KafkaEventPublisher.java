package dev.eventsource.kafka;

import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusUnavailableException;
import dev.eventsource.bus.EventBusClosedException;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.kafka.internal.TopicAdmin;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.wire.EventDocument;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Publishes stored events to Kafka: the publishing side a relay needs.
 *
 * <p>Each event becomes one message: the key is the aggregate id, so one aggregate's events land in
 * one partition, in publish order; the value is the event's JSON document
 * ({@link EventDocument}, the format of the CLI's export); the headers are listed in
 * {@link KafkaHeaders}. The topic comes from {@link KafkaBusConfig#topicFor(String)}. The producer is
 * idempotent with {@code acks=all}, so a retry inside the client neither duplicates nor reorders.
 *
 * <p>{@link #publish(List)} sends every event, then waits for every acknowledgement: when it
 * returns, the broker has all of them. When the broker does not acknowledge within
 * {@link KafkaBusConfig#deliveryTimeout()} (or is unreachable for {@link KafkaBusConfig#maxBlock()}),
 * it throws {@link BusUnavailableException} and counts none of the list as published; some may
 * have been written, so publish the whole list again (consumers may see duplicates, never a gap).
 *
 * <p>Refused before anything is sent: what {@link EventPublisher#checkPublishable(List)} refuses, an
 * aggregate type whose computed topic name is illegal ({@link IllegalArgumentException}), a payload
 * the registry's mapper cannot serialize ({@link dev.eventsource.event.SerializationException}), and
 * any publish after shutdown ({@link EventBusClosedException}). Thread-safe.
 */
public final class KafkaEventPublisher implements EventPublisher {

    private final KafkaBusConfig config;
    private final EventMapper mapper;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicAdmin admin;
    private final AtomicLong published = new AtomicLong();
    private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /**
     * A publisher to the broker of {@code config}, serializing payloads with {@code registry}'s mapper.
     *
     * @throws NullPointerException if an argument is null
     */
    public KafkaEventPublisher(KafkaBusConfig config, EventRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapper = new EventMapper(Objects.requireNonNull(registry, "registry"));
        Map<String, Object> p = new HashMap<>(config.producerProperties());
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        long delivery = config.deliveryTimeout().toMillis();
        long linger = ((Number) p.get(ProducerConfig.LINGER_MS_CONFIG)).longValue();
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, Math.min(30_000, delivery - linger)));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.maxBlock().toMillis());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.admin = new TopicAdmin(config.bootstrapServers(), config.producerProperties(), config.maxBlock());
    }

    /** The configuration this publisher was built with. */
    public KafkaBusConfig config() {
        return config;
    }

    @Override
    public void publish(List<StoredEvent> events) {
        List<StoredEvent> checked = EventPublisher.checkPublishable(events);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(checked.size());
        Set<String> topics = new LinkedHashSet<>();
        for (StoredEvent e : checked) {
            String topic = config.topicFor(e.aggregateType());
            topics.add(topic);
            records.add(new ProducerRecord<>(topic, null, e.aggregateId().toString(), EventDocument.encodeBytes(e, mapper),
                    headers(e)));
        }
        closing.readLock().lock();
        try {
            if (closed) {
                throw new EventBusClosedException(toString());
            }
            if (config.partitions() > 0) {
                admin.ensure(topics, config.partitions(), config.replicationFactor(), Map.of());
            }
            List<Future<?>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> r : records) {
                acks.add(producer.send(r));
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
            published.addAndGet(records.size());
        } catch (KafkaException e) {
            throw unavailable(e);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException(config.bootstrapServers(), "interrupted while waiting for the broker at "
                    + config.bootstrapServers() + " to acknowledge " + records.size() + " events; some may be published:"
                    + " publish them all again", e);
        } finally {
            closing.readLock().unlock();
        }
    }

    private BusUnavailableException unavailable(Throwable cause) {
        return new BusUnavailableException(config.bootstrapServers(), "the broker at " + config.bootstrapServers()
                + " did not acknowledge the events (" + cause + ") within the configured wait (deliveryTimeout "
                + config.deliveryTimeout() + ", maxBlock " + config.maxBlock() + "); none counts as published, some may"
                + " be written: publish them all again once the broker is reachable", cause);
    }

    private static RecordHeaders headers(StoredEvent e) {
        RecordHeaders h = new RecordHeaders();
        add(h, KafkaHeaders.EVENT_ID, e.eventId().toString());
        add(h, KafkaHeaders.EVENT_TYPE, e.eventType());
        add(h, KafkaHeaders.SCHEMA_VERSION, String.valueOf(dev.eventsource.event.EventRegistry.schemaVersion(e.event().getClass())));
        add(h, KafkaHeaders.AGGREGATE_TYPE, e.aggregateType());
        add(h, KafkaHeaders.AGGREGATE_ID, e.aggregateId().toString());
        add(h, KafkaHeaders.GLOBAL_POSITION, String.valueOf(e.globalPosition()));
        if (e.tenantId() != null) {
            add(h, KafkaHeaders.TENANT_ID, e.tenantId());
        }
        String traceparent = e.metadata().extras().get(KafkaHeaders.TRACEPARENT);
        if (traceparent != null) {
            add(h, KafkaHeaders.TRACEPARENT, traceparent);
        }
        return h;
    }

    private static void add(RecordHeaders h, String key, String value) {
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public BusStats stats() {
        return new BusStats(published.get(), 0, 0, 0, 0, 0);
    }

    /**
     * Stops accepting publishes, waits up to {@code deadline} for publishes under way to be
     * acknowledged (or to fail), and closes the producer. A publisher has no deliveries, so the
     * report is always complete; a publish cut short by the deadline throws to its caller.
     */
    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must not be negative; got " + deadline);
        }
        if (closed) {
            return BusShutdownReport.COMPLETE;
        }
        closed = true;
        long end = System.nanoTime() + deadline.toNanos();
        boolean quiet = false;
        try {
            // publishes under way finish (or fail) first; new ones see closed
            quiet = closing.writeLock().tryLock(deadline.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            producer.close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        } finally {
            if (quiet) {
                closing.writeLock().unlock();
            }
        }
        return BusShutdownReport.COMPLETE;
    }

    @Override
    public String toString() {
        return "KafkaEventPublisher[" + config.bootstrapServers() + "]";
    }
}
