package dev.eventsource.kafka;

import dev.eventsource.kafka.internal.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How a Kafka bus reaches its broker and names its topics; shared by {@link KafkaEventPublisher},
 * {@link KafkaEventConsumer} and {@link KafkaEventBus}. Immutable; build it with {@link #builder(String)}.
 *
 * <pre>{@code
 * KafkaBusConfig config = KafkaBusConfig.builder("broker-1:9092,broker-2:9092")
 *         .topic("orders-events")                  // one topic for every event (the default is "events")
 *         .groupIdPrefix("billing-service.")       // Kafka group id = prefix + ConsumerGroup name
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Topics</b>: one topic ({@link Builder#topic}), or one per aggregate type
 *       ({@link Builder#topicPerAggregateType}, e.g. {@code type -> "events." + type}); then the
 *       consumer reads the topics listed with {@link Builder#consuming}. Names are checked against
 *       Kafka's rules (a fixed name when built, a computed one before anything of a publish is sent).</li>
 *   <li><b>Dead letters</b>: a compacted topic ({@link Builder#deadLetterTopic}, default: the first
 *       consumed topic plus {@code ".dead-letters"}), keyed by group and event; created on first use
 *       with one partition when missing.</li>
 *   <li><b>Topic creation</b>: {@link Builder#createTopics(int, short)} makes the bus create missing
 *       event topics with that many partitions (the partitions are what competing consumers share);
 *       otherwise the broker's own rules apply (pre-created topics or auto-creation).</li>
 *   <li><b>Waiting for the broker</b>: {@link Builder#deliveryTimeout} bounds how long a publish
 *       waits for acknowledgements, {@link Builder#maxBlock} how long it waits for the broker's
 *       metadata (a broker that is down); after either, publish throws
 *       {@link dev.eventsource.bus.BusUnavailableException}.</li>
 *   <li>Other client settings (security, tuning) pass through {@link Builder#producerProperty} and
 *       {@link Builder#consumerProperty}; the ones the bus's guarantees rest on (idempotence,
 *       {@code acks=all}, manual commits, serializers) cannot be overridden.</li>
 * </ul>
 *
 * <p>Refused with {@link IllegalArgumentException}: blank bootstrap servers, an illegal topic name,
 * a per-aggregate-type naming without topics to consume, non-positive durations or partitions, a
 * pass-through property the bus must own.
 */
public final class KafkaBusConfig {

    /** The client settings the bus owns; passing them through would break its guarantees. */
    static final Set<String> OWNED = Set.of("enable.idempotence", "acks", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "enable.auto.commit", "group.id", "auto.offset.reset",
            "bootstrap.servers", "isolation.level");

    private final String bootstrapServers;
    private final String topic;
    private final Function<String, String> topicNaming;
    private final List<String> consumedTopics;
    private final String deadLetterTopic;
    private final String groupIdPrefix;
    private final int partitions;
    private final short replicationFactor;
    private final Duration deliveryTimeout;
    private final Duration maxBlock;
    private final Duration pollTimeout;
    private final Duration assignmentTimeout;
    private final Map<String, Object> producerProperties;
    private final Map<String, Object> consumerProperties;

    private KafkaBusConfig(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.topic = b.topic;
        this.topicNaming = b.topicNaming;
        if (b.topicNaming != null && b.consumed.isEmpty()) {
            throw new IllegalArgumentException("with topicPerAggregateType(...) the consumer needs the topics to read:"
                    + " add consuming(\"events.Order\", ...)");
        }
        this.consumedTopics = b.consumed.isEmpty() ? List.of(b.topic) : List.copyOf(b.consumed);
        this.deadLetterTopic = b.deadLetterTopic != null ? b.deadLetterTopic
                : TopicNames.require(truncate(consumedTopics.get(0), TopicNames.MAX_LENGTH - 13) + ".dead-letters", "the dead-letter topic");
        this.groupIdPrefix = b.groupIdPrefix;
        this.partitions = b.partitions;
        this.replicationFactor = b.replicationFactor;
        this.deliveryTimeout = b.deliveryTimeout;
        this.maxBlock = b.maxBlock;
        this.pollTimeout = b.pollTimeout;
        this.assignmentTimeout = b.assignmentTimeout;
        this.producerProperties = Map.copyOf(b.producerProperties);
        long batchBytes = setting(producerProperties, ProducerConfig.BATCH_SIZE_CONFIG, KafkaEventPublisher.DEFAULT_BATCH_BYTES);
        long bufferBytes = setting(producerProperties, ProducerConfig.BUFFER_MEMORY_CONFIG,
                (Long) ProducerConfig.configDef().configKeys().get(ProducerConfig.BUFFER_MEMORY_CONFIG).defaultValue);
        if (batchBytes > bufferBytes) {
            // Kafka's producer would refuse every batch at send time, and a relay would retry without end.
            throw new IllegalArgumentException("producer batch.size " + batchBytes + " is larger than buffer.memory " + bufferBytes
                    + ": no batch could be allocated; lower batch.size or raise buffer.memory");
        }
        this.consumerProperties = Map.copyOf(b.consumerProperties);
    }

    /** A numeric setting as set (a number or its text, checked when set), else {@code fallback}. */
    static long setting(Map<String, Object> properties, String key, long fallback) {
        Object value = properties.get(key);
        return value == null ? fallback : ((Number) ConfigDef.parseType(key, value, ConfigDef.Type.LONG)).longValue();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * A builder for a broker reached at {@code bootstrapServers} ({@code host:port[,host:port...]}).
     *
     * @throws IllegalArgumentException if it is null or blank
     */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** The bootstrap servers. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The topic an event of {@code aggregateType} is published to.
     *
     * @throws IllegalArgumentException if the naming function returns an illegal name
     */
    public String topicFor(String aggregateType) {
        if (topicNaming == null) {
            return topic;
        }
        String name;
        try {
            name = topicNaming.apply(aggregateType);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the topic naming function failed for aggregate type " + aggregateType
                    + ": " + e, e);
        }
        return TopicNames.require(name, "the topic for aggregate type " + aggregateType);
    }

    /** The topics a consumer reads. */
    public List<String> consumedTopics() {
        return consumedTopics;
    }

    /** The compacted topic holding the dead letters. */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /** What Kafka group ids start with; the group's name follows. */
    public String groupIdPrefix() {
        return groupIdPrefix;
    }

    /** Partitions of event topics the bus creates; 0 when it creates none. */
    public int partitions() {
        return partitions;
    }

    /** Replication factor of the topics the bus creates. */
    public short replicationFactor() {
        return replicationFactor;
    }

    /** How long a publish waits for acknowledgements. */
    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    /** How long a publish waits for the broker's metadata. */
    public Duration maxBlock() {
        return maxBlock;
    }

    /** How long one consumer poll waits. */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /** How long {@code subscribe} waits for the new member's first partition assignment. */
    public Duration assignmentTimeout() {
        return assignmentTimeout;
    }

    /** Extra producer settings. */
    public Map<String, Object> producerProperties() {
        return producerProperties;
    }

    /** Extra consumer settings. */
    public Map<String, Object> consumerProperties() {
        return consumerProperties;
    }

    @Override
    public String toString() {
        return "KafkaBusConfig[" + bootstrapServers + ", topics " + consumedTopics + ", dead letters " + deadLetterTopic + "]";
    }

    /** Builds a {@link KafkaBusConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private final String bootstrapServers;
        private String topic = "events";
        private Function<String, String> topicNaming;
        private final Set<String> consumed = new LinkedHashSet<>();
        private String deadLetterTopic;
        private String groupIdPrefix = "";
        private int partitions;
        private short replicationFactor = 1;
        private Duration deliveryTimeout = Duration.ofMinutes(2);
        private Duration maxBlock = Duration.ofSeconds(60);
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration assignmentTimeout = Duration.ofSeconds(60);
        private final Map<String, Object> producerProperties = new LinkedHashMap<>();
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must name the broker(s), e.g. \"localhost:9092\"; got "
                        + (bootstrapServers == null ? "null" : "'" + bootstrapServers + "'"));
            }
            this.bootstrapServers = bootstrapServers.strip();
        }

        /** Every event goes to {@code topic} (the default is {@code events}), and the consumer reads it. */
        public Builder topic(String topic) {
            this.topic = TopicNames.require(topic, "the topic");
            this.topicNaming = null;
            return this;
        }

        /** An event goes to the topic {@code naming} gives for its aggregate type; list the consumed ones with {@link #consuming}. */
        public Builder topicPerAggregateType(Function<String, String> naming) {
            this.topicNaming = Objects.requireNonNull(naming, "naming");
            return this;
        }

        /** The topics the consumer reads (default: the one {@link #topic}). */
        public Builder consuming(String... topics) {
            for (String t : topics) {
                consumed.add(TopicNames.require(t, "a consumed topic"));
            }
            return this;
        }

        /** The compacted dead-letter topic. */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = TopicNames.require(topic, "the dead-letter topic");
            return this;
        }

        /** Kafka group id = {@code prefix} + group name (default: no prefix). */
        public Builder groupIdPrefix(String prefix) {
            this.groupIdPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Create missing event topics with {@code partitions} partitions and {@code replicationFactor} replicas. */
        public Builder createTopics(int partitions, short replicationFactor) {
            if (partitions < 1 || replicationFactor < 1) {
                throw new IllegalArgumentException("partitions and replicationFactor must be >= 1; got " + partitions
                        + " and " + replicationFactor);
            }
            this.partitions = partitions;
            this.replicationFactor = replicationFactor;
            return this;
        }

        /** How long a publish waits for the broker's acknowledgements (producer {@code delivery.timeout.ms}); default 2 minutes. */
        public Builder deliveryTimeout(Duration timeout) {
            this.deliveryTimeout = positive(timeout, "deliveryTimeout");
            return this;
        }

        /** How long a publish waits for metadata from an unreachable broker (producer {@code max.block.ms}); default 60 s. */
        public Builder maxBlock(Duration timeout) {
            this.maxBlock = positive(timeout, "maxBlock");
            return this;
        }

        /** How long one consumer poll waits (default 200 ms); also how soon a member notices it should stop. */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = positive(timeout, "pollTimeout");
            return this;
        }

        /** How long {@code subscribe} waits for the member's first assignment (default 60 s). */
        public Builder assignmentTimeout(Duration timeout) {
            this.assignmentTimeout = positive(timeout, "assignmentTimeout");
            return this;
        }

        /**
         * An extra producer setting (e.g. security, {@code batch.size}); not one the bus owns. A
         * setting Kafka knows is checked at once against its type and range (text such as
         * {@code "5"} is fine for a number); one it does not know is passed on as it is.
         *
         * @throws IllegalArgumentException if the bus owns {@code key}, or Kafka refuses the value
         *                                  (a password's value is not repeated in the message)
         */
        public Builder producerProperty(String key, Object value) {
            producerProperties.put(notOwned(key), kafkaAccepts(ProducerConfig.configDef(), "producerProperty", key, value));
            return this;
        }

        /**
         * An extra consumer setting (e.g. security, heartbeats); not one the bus owns. Checked as
         * {@link #producerProperty} checks a producer's.
         *
         * @throws IllegalArgumentException if the bus owns {@code key}, or Kafka refuses the value
         */
        public Builder consumerProperty(String key, Object value) {
            consumerProperties.put(notOwned(key), kafkaAccepts(ConsumerConfig.configDef(), "consumerProperty", key, value));
            return this;
        }

        /** {@code value}, if Kafka's definition of {@code key} (when it has one) accepts it. */
        private static Object kafkaAccepts(ConfigDef definition, String setter, String key, Object value) {
            Objects.requireNonNull(value, () -> setter + "('" + key + "', null): give a value, or leave the setting out");
            ConfigDef.ConfigKey known = definition.configKeys().get(key);
            if (known == null) {
                return value;
            }
            try {
                Object parsed = ConfigDef.parseType(key, value, known.type);
                if (known.validator != null) {
                    known.validator.ensureValid(key, parsed);
                }
                return value;
            } catch (ConfigException e) {
                String shown = known.type == ConfigDef.Type.PASSWORD ? "a password value" : "'" + value + "'";
                String reason = known.type == ConfigDef.Type.PASSWORD ? "" : ": " + e.getMessage();
                throw new IllegalArgumentException(setter + "('" + key + "', ...) got " + shown + ", which Kafka refuses for"
                        + " a setting of type " + known.type + reason);
            }
        }

        /** The configuration. */
        public KafkaBusConfig build() {
            return new KafkaBusConfig(this);
        }

        private static String notOwned(String key) {
            Objects.requireNonNull(key, "key");
            if (OWNED.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is set by the bus (its guarantees rest on it) and cannot"
                        + " be passed through; the settings it owns are " + new ArrayList<>(new java.util.TreeSet<>(OWNED)));
            }
            return key;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be a positive duration; got " + d);
            }
            return d;
        }
    }
}
