package dev.eventsource.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.bus.BusDeadLetter;
import dev.eventsource.bus.BusUnavailableException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.wire.EventDocument;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dead letters of a Kafka bus, kept in a compacted topic of one partition: the key is the
 * entry's id (group and event), the value a JSON object (group, error, attempts, time, where the
 * message was read, its key, and its value in base64: the event's document), a tombstone removes
 * it. A reader thread keeps an in-memory table of the topic; a write returns once the table shows it,
 * so a caller reads its own writes.
 */
public final class DeadLetterTopic implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DeadLetterTopic.class.getName());
    private static final ObjectMapper JSON = EventDocument.objectMapper();

    private final String topic;
    private final String bootstrapServers;
    private final EventMapper mapper;
    private final Duration timeout;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> reader;
    private final Thread readerThread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Map<String, BusDeadLetter> table = new LinkedHashMap<>();
    private long applied;   // the reader's position: every offset below it is in the table
    private volatile boolean closed;

    public DeadLetterTopic(String bootstrapServers, String topic, EventMapper mapper, Duration timeout,
                           Map<String, Object> producerProperties, Map<String, Object> consumerProperties, TopicAdmin admin) {
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.mapper = mapper;
        this.timeout = timeout;
        admin.ensure(List.of(topic), 1, (short) 1, Map.of("cleanup.policy", "compact"));
        Map<String, Object> p = new HashMap<>(producerProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1000));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>(consumerProperties);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.reader = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        reader.assign(List.of(partition));
        reader.seekToBeginning(List.of(partition));
        this.readerThread = new Thread(() -> read(partition), "eventsource-kafka-dead-letters-" + topic);
        readerThread.setDaemon(true);
        readerThread.start();
    }

    private void read(TopicPartition partition) {
        try {
            while (!closed) {
                var records = reader.poll(Duration.ofMillis(100));
                long position = reader.position(partition);
                lock.lock();
                try {
                    for (ConsumerRecord<String, byte[]> r : records) {
                        apply(r);
                    }
                    applied = position;
                    advanced.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the dead-letter reader of " + topic + " stopped: " + e, e);
        } finally {
            reader.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            table.remove(r.key());
            return;
        }
        try {
            table.put(r.key(), parse(r.key(), r.value()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "skipping an unreadable entry " + r.key() + " of " + topic + ": " + e);
        }
    }

    private BusDeadLetter parse(String id, byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        byte[] value = node.path("value").isNull() ? null : Base64.getDecoder().decode(node.path("value").asText());
        String key = node.path("key").isNull() ? null : node.path("key").asText();
        StoredEvent event = null;
        if (value != null) {
            try {
                event = mapper.toStoredEvent(EventDocument.decode(value));
            } catch (RuntimeException undecodable) {
                // listed with its bytes; a replay tries again
            }
        }
        return new BusDeadLetter(id, node.path("group").asText(), event, node.path("error").asText(),
                node.path("attempts").asInt(), Instant.parse(node.path("deadLetteredAt").asText()),
                event == null ? new BusDeadLetter.Undecodable(node.path("source").asText(), key, value) : null);
    }

    /** The entries of {@code group}, oldest first. */
    public List<BusDeadLetter> list(String group) {
        lock.lock();
        try {
            return table.values().stream().filter(l -> l.group().equals(group)).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The entry {@code id}, or null. */
    public BusDeadLetter get(String id) {
        lock.lock();
        try {
            return table.get(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes (or replaces) an entry and waits until the table shows it.
     *
     * @param source where the message was read, e.g. {@code orders-2@17}
     * @param key    the message key, or null
     * @param value  the message value (the event's document), or null
     */
    public void put(String id, String group, String error, int attempts, String source, String key, byte[] value) {
        ObjectNode node = JSON.createObjectNode();
        node.put("group", group);
        node.put("error", error);
        node.put("attempts", attempts);
        node.put("deadLetteredAt", Instant.now().toString());
        node.put("source", source);
        node.put("key", key);
        node.put("value", value == null ? null : Base64.getEncoder().encodeToString(value));
        try {
            write(id, JSON.writeValueAsBytes(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write dead letter " + id + ": " + e, e);
        }
    }

    /** Removes an entry (a tombstone) and waits until the table shows it. */
    public void remove(String id) {
        write(id, null);
    }

    private void write(String id, byte[] value) {
        RecordMetadata written;
        try {
            written = producer.send(new ProducerRecord<>(topic, 0, id, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException(bootstrapServers, "interrupted while writing dead letter " + id + " to " + topic, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BusUnavailableException(bootstrapServers, "cannot write dead letter " + id + " to " + topic + " on "
                    + bootstrapServers + ": " + cause + "; the event stays unacknowledged and is tried again", cause);
        }
        long end = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (applied <= written.offset()) {
                long left = end - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new BusUnavailableException(bootstrapServers, "dead letter " + id + " was written to " + topic
                            + " but not read back within " + timeout, null);
                }
                advanced.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException(bootstrapServers, "interrupted while reading dead letter " + id + " back", e);
        } finally {
            lock.unlock();
        }
    }

    /** All entries, for tests and tools. */
    public List<BusDeadLetter> all() {
        lock.lock();
        try {
            return new ArrayList<>(table.values());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        reader.wakeup();
        try {
            readerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
