package dev.eventsource.kafka;

import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusUnavailableException;
import dev.eventsource.bus.EventBusClosedException;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.kafka.internal.TopicAdmin;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.wire.EventDocument;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Publishes stored events to Kafka: the publishing side a relay needs.
 *
 * <p>Each event becomes one message: the key is the aggregate id, so one aggregate's events land in
 * one partition, in publish order; the value is the event's JSON document
 * ({@link EventDocument}, the format of the CLI's export); the headers are listed in
 * {@link KafkaHeaders} (the records of one call share the arrays of equal header values and a
 * record's key array is its aggregate-id header's: a producer interceptor must treat them as
 * read-only, as Kafka does). The key is sent as the UTF-8 bytes of the id's text, which is what a
 * {@code String} key would serialize to. The topic comes from {@link KafkaBusConfig#topicFor(String)}. The producer is
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
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicAdmin admin;
    private final AtomicLong published = new AtomicLong();
    /** The first global position of the earliest call that failed and was not sent again; MAX_VALUE for none. */
    private final AtomicLong failedFrom = new AtomicLong(Long.MAX_VALUE);
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
        this.producer = new KafkaProducer<>(producerConfig(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = new TopicAdmin(config.bootstrapServers(), config.producerProperties(), config.maxBlock());
    }

    /**
     * The producer's {@code batch.size} unless set: 256 KiB, not Kafka's 16 KiB. A relay hands over
     * a batch of events at a time, often many of one aggregate (one partition), and Kafka's producer
     * sends at most one batch per partition in a request and five requests at once: with 16 KiB
     * batches a relay of 1,000-event batches published half as fast on SQLite (see
     * {@code docs/benchmarks.md}). Memory: each partition being written holds one such buffer from
     * {@code buffer.memory} (32 MiB unless set); with more than about a hundred partitions written
     * at once, lower this or raise that.
     */
    public static final int DEFAULT_BATCH_BYTES = 256 * 1024;

    /**
     * The settings of the {@link KafkaProducer} a publisher for {@code config} creates: the
     * configured producer properties, {@code linger.ms} 1, {@code batch.size}
     * {@value #DEFAULT_BATCH_BYTES} and 5 requests in flight unless set, a
     * request timeout within the delivery timeout, and always idempotence, {@code acks=all}, the
     * delivery timeout and max block of {@code config}. For a producer that must behave the same
     * (a benchmark's baseline, say).
     */
    public static Map<String, Object> producerConfig(KafkaBusConfig config) {
        Objects.requireNonNull(config, "config");
        Map<String, Object> p = new HashMap<>(config.producerProperties());
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_BYTES);
        p.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        long delivery = config.deliveryTimeout().toMillis();
        long linger = KafkaBusConfig.setting(p, ProducerConfig.LINGER_MS_CONFIG, 1);
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, Math.min(30_000, delivery - linger)));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.maxBlock().toMillis());
        return p;
    }

    /** The configuration this publisher was built with. */
    public KafkaBusConfig config() {
        return config;
    }

    /**
     * Publishes {@code events} and waits for every acknowledgement: each is written as the row a
     * store would hold for it (payload serialized through the registry's mapper), then sent as
     * {@link #publishRows} sends rows.
     */
    @Override
    public void publish(List<StoredEvent> events) {
        List<StoredEvent> checked = EventPublisher.checkPublishable(events);
        List<RecordedEvent> rows = new ArrayList<>(checked.size());
        for (StoredEvent e : checked) {
            rows.add(EventDocument.recorded(e, mapper));
        }
        CompletableFuture<Void> acks = send(rows, false);
        try {
            acks.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : unavailable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException(config.bootstrapServers(), "interrupted while waiting for the broker at "
                    + config.bootstrapServers() + " to acknowledge " + rows.size() + " events; some may be published:"
                    + " publish them all again", e);
        }
    }

    /**
     * Sends each row's stored document as it is (the payload is never decoded, so a relay needs no
     * event classes) and returns at once; the future completes when the broker acknowledged every
     * one, or fails with {@link BusUnavailableException}. {@code decoder} is not used. After a call
     * failed, calls that start after its first row fail at once until one starts at or before it
     * (a relay publishing again from its checkpoint), so that nothing is written ahead of an event
     * that failed: one relay per publisher keeps first sightings in log order. A row whose
     * payload or metadata is not a JSON object is refused with {@link IllegalArgumentException}
     * before anything of the list is sent.
     */
    @Override
    public CompletableFuture<Void> publishRows(List<RecordedEvent> rows, Function<RecordedEvent, StoredEvent> decoder) {
        EventPublisher.checkRows(rows);
        Objects.requireNonNull(decoder, "decoder");
        return send(rows, true);
    }

    /** Sends the rows' documents; {@code inLogOrder}: the rows come from a relay, see {@link #publishRows}. */
    private CompletableFuture<Void> send(List<RecordedEvent> rows, boolean inLogOrder) {
        long first = rows.get(0).globalPosition();
        long failed = inLogOrder ? failedFrom.get() : Long.MAX_VALUE;
        if (first > failed) {
            // Writing these would put them ahead of events that failed and are not sent again yet.
            return CompletableFuture.failedFuture(new BusUnavailableException(config.bootstrapServers(),
                    "an earlier publish from global position " + failed + " failed; publish again from there first (a"
                            + " later row is not written ahead of one that failed)", null));
        }
        if (failed != Long.MAX_VALUE) {
            failedFrom.compareAndSet(failed, Long.MAX_VALUE);
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(rows.size());
        Set<String> topics = new LinkedHashSet<>();
        // Header values shared by the records of this call: one array per type name (Kafka never writes into them).
        Map<String, byte[]> names = new HashMap<>();
        String lastType = null;
        String topic = null;
        for (RecordedEvent row : rows) {
            if (!row.aggregateType().equals(lastType)) {
                lastType = row.aggregateType();
                topic = config.topicFor(lastType);
                topics.add(topic);
            }
            // The key is the aggregate id's text, as the header: the same bytes a String key would serialize to.
            byte[] aggregateId = EventDocument.idBytes(row.aggregateId());
            records.add(new ProducerRecord<>(topic, null, aggregateId, EventDocument.encodeBytes(row),
                    headers(row, aggregateId, names)));
        }
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(records.size());
        Callback callback = (metadata, failure) -> {
            if (failure != null) {
                if (inLogOrder) {
                    failedFrom.accumulateAndGet(first, Math::min);
                }
                all.completeExceptionally(unavailable(failure));
            } else if (pending.decrementAndGet() == 0) {
                published.addAndGet(records.size());
                all.complete(null);
            }
        };
        closing.readLock().lock();
        try {
            if (closed) {
                throw new EventBusClosedException(toString());
            }
            if (config.partitions() > 0) {
                admin.ensure(topics, config.partitions(), config.replicationFactor(), Map.of());
            }
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r, callback);
            }
        } catch (KafkaException e) {
            throw unavailable(e);
        } finally {
            closing.readLock().unlock();
        }
        return all;
    }

    private BusUnavailableException unavailable(Throwable cause) {
        return new BusUnavailableException(config.bootstrapServers(), "the broker at " + config.bootstrapServers()
                + " did not acknowledge the events (" + cause + ") within the configured wait (deliveryTimeout "
                + config.deliveryTimeout() + ", maxBlock " + config.maxBlock() + "); none counts as published, some may"
                + " be written: publish them all again once the broker is reachable", cause);
    }

    /**
     * The headers of {@code row}'s message ({@link KafkaHeaders}), built with one array of header
     * objects; type names' bytes come from {@code names}, filled as they are first seen.
     */
    private RecordHeaders headers(RecordedEvent row, byte[] aggregateId, Map<String, byte[]> names) {
        String traceparent = null;
        // Reading the metadata costs a parse; only rows that carry a trace context pay it.
        String metadata = row.metadataJson();
        if (metadata != null && metadata.contains(KafkaHeaders.TRACEPARENT)) {
            traceparent = mapper.metadata(row.tenantId(), metadata).extras().get(KafkaHeaders.TRACEPARENT);
        }
        Header[] h = new Header[6 + (row.tenantId() != null ? 1 : 0) + (traceparent != null ? 1 : 0)];
        h[0] = new RecordHeader(KafkaHeaders.EVENT_ID, EventDocument.idBytes(row.eventId()));
        h[1] = new RecordHeader(KafkaHeaders.EVENT_TYPE, names.computeIfAbsent(row.eventType(), KafkaEventPublisher::utf8));
        int version = row.schemaVersion();
        h[2] = new RecordHeader(KafkaHeaders.SCHEMA_VERSION,
                version >= 0 && version < SMALL_NUMBERS.length ? SMALL_NUMBERS[version] : utf8(Integer.toString(version)));
        h[3] = new RecordHeader(KafkaHeaders.AGGREGATE_TYPE, names.computeIfAbsent(row.aggregateType(), KafkaEventPublisher::utf8));
        h[4] = new RecordHeader(KafkaHeaders.AGGREGATE_ID, aggregateId);
        h[5] = new RecordHeader(KafkaHeaders.GLOBAL_POSITION, decimal(row.globalPosition()));
        int i = 6;
        if (row.tenantId() != null) {
            h[i++] = new RecordHeader(KafkaHeaders.TENANT_ID, utf8(row.tenantId()));
        }
        if (traceparent != null) {
            h[i] = new RecordHeader(KafkaHeaders.TRACEPARENT, utf8(traceparent));
        }
        return new RecordHeaders(h);
    }

    /** The schema versions most events have, as header values (shared: Kafka never writes into a header's value). */
    private static final byte[][] SMALL_NUMBERS = new byte[16][];

    static {
        for (int i = 0; i < SMALL_NUMBERS.length; i++) {
            SMALL_NUMBERS[i] = utf8(Integer.toString(i));
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code value} (positive) in decimal ASCII, as {@link Long#toString(long)} writes it. */
    private static byte[] decimal(long value) {
        if (value < 0) {
            return utf8(Long.toString(value));
        }
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        byte[] b = new byte[digits];
        for (int i = digits - 1; i >= 0; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return b;
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
