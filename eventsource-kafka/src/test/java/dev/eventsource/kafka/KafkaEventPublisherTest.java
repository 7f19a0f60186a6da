package dev.eventsource.kafka;

import dev.eventsource.bus.BusUnavailableException;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.wire.EventDocument;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaEventPublisherTest {

    private final KafkaTesting events = new KafkaTesting();
    private final String bootstrap = KafkaTestBroker.shared().bootstrapServers();

    private static String header(ConsumerRecord<?, ?> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void a_message_is_keyed_by_aggregate_carries_the_document_and_the_headers() {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        EventRegistry registry = KafkaTesting.registry();
        UUID order = UUID.randomUUID();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        StoredEvent traced = events.stored(order, new KafkaTesting.Shop.Ordered("book", 2),
                new EventMetadata("acme", null, UUID.randomUUID(), null, Map.of("traceparent", traceparent)));
        StoredEvent plain = events.stored(order, new KafkaTesting.Shop.Shipped("post"), EventMetadata.EMPTY);

        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, registry)) {
            publisher.publish(List.of(traced, plain));
            assertThat(publisher.stats().published()).isEqualTo(2);
        }

        List<ConsumerRecord<String, byte[]>> records = KafkaTesting.readAll(bootstrap, config.consumedTopics().get(0), 2);
        assertThat(records).hasSize(2);
        ConsumerRecord<String, byte[]> first = records.get(0);
        assertThat(first.key()).isEqualTo(order.toString());
        assertThat(records.get(1).partition()).as("one aggregate, one partition").isEqualTo(first.partition());
        assertThat(header(first, KafkaHeaders.EVENT_ID)).isEqualTo(traced.eventId().toString());
        assertThat(header(first, KafkaHeaders.EVENT_TYPE)).isEqualTo(traced.eventType());
        assertThat(header(first, KafkaHeaders.SCHEMA_VERSION)).isEqualTo("1");
        assertThat(header(first, KafkaHeaders.AGGREGATE_TYPE)).isEqualTo("Order");
        assertThat(header(first, KafkaHeaders.AGGREGATE_ID)).isEqualTo(order.toString());
        assertThat(header(first, KafkaHeaders.GLOBAL_POSITION)).isEqualTo(String.valueOf(traced.globalPosition()));
        assertThat(header(first, KafkaHeaders.TENANT_ID)).isEqualTo("acme");
        assertThat(header(first, KafkaHeaders.TRACEPARENT)).isEqualTo(traceparent);
        assertThat(header(records.get(1), KafkaHeaders.TENANT_ID)).as("no tenant, no header").isNull();
        assertThat(header(records.get(1), KafkaHeaders.TRACEPARENT)).as("no trace, no header").isNull();
        EventMapper mapper = new EventMapper(registry);
        assertThat(mapper.toStoredEvent(EventDocument.decode(first.value()))).isEqualTo(traced);
        assertThat(mapper.toStoredEvent(EventDocument.decode(records.get(1).value()))).isEqualTo(plain);
    }

    @Test
    void rows_go_out_as_their_stored_document_without_the_publisher_knowing_their_class() throws Exception {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        UUID order = UUID.randomUUID();
        // A type no registry here knows, with a decimal whose scale must survive, and a stored schema version 3.
        RecordedEvent row = new RecordedEvent(UUID.randomUUID(), "LegacyThing", 3, order, "Order", 1, 7,
                Instant.parse("2026-12-03T09:15:00.123456Z"), Instant.parse("2026-12-03T09:15:01.654321Z"), "acme",
                "{\"actor\":\"ops\",\"extras\":{\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}}",
                "{\"price\":12.50,\"note\":\"tab\\there \\\"quoted\\\" ü\"}");

        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, new EventRegistry())) {
            publisher.publishRows(List.of(row), r -> {
                throw new AssertionError("a Kafka publisher never decodes");
            }).get();
        }

        ConsumerRecord<String, byte[]> record = KafkaTesting.readAll(bootstrap, config.consumedTopics().get(0), 1).get(0);
        assertThat(record.value()).isEqualTo(EventDocument.encodeBytes(row));
        assertThat(EventDocument.decode(record.value())).isEqualTo(row);
        assertThat(header(record, KafkaHeaders.SCHEMA_VERSION)).isEqualTo("3");
        assertThat(header(record, KafkaHeaders.EVENT_TYPE)).isEqualTo("LegacyThing");
        assertThat(header(record, KafkaHeaders.TENANT_ID)).isEqualTo("acme");
        assertThat(header(record, KafkaHeaders.TRACEPARENT)).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void a_row_that_is_not_a_json_object_is_refused_before_anything_is_sent() {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        RecordedEvent good = new RecordedEvent(UUID.randomUUID(), "Thing", 1, UUID.randomUUID(), "Order", 1, 1,
                Instant.now(), Instant.now(), null, "{}", "{\"a\":1}");
        RecordedEvent damaged = new RecordedEvent(UUID.randomUUID(), "Thing", 1, UUID.randomUUID(), "Order", 1, 2,
                Instant.now(), Instant.now(), null, "{}", "{\"a\":1} trailing");
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, new EventRegistry())) {
            assertThatThrownBy(() -> publisher.publishRows(List.of(good, damaged), r -> null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(damaged.eventId().toString()).hasMessageContaining("not a JSON object");
            assertThat(publisher.stats().published()).isZero();
        }
    }

    @Test
    void each_aggregate_keeps_one_partition_and_its_order_under_concurrent_publishers() throws Exception {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        int threads = 4;
        int perThread = 60;
        List<StoredEvent> all = Collections.synchronizedList(new ArrayList<>());
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, KafkaTesting.registry())) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                List<StoredEvent> mine = events.interleaved(3, perThread / 3);   // each thread its own aggregates
                all.addAll(mine);
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < mine.size(); i += 5) {
                            publisher.publish(mine.subList(i, Math.min(mine.size(), i + 5)));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertThat(errors).isEmpty();
            assertThat(publisher.stats().published()).isEqualTo(threads * perThread);
        }

        List<ConsumerRecord<String, byte[]>> records = KafkaTesting.readAll(bootstrap, config.consumedTopics().get(0), all.size());
        assertThat(records).hasSize(all.size());
        Map<String, List<Integer>> partitions = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(ConsumerRecord::partition, Collectors.toList())));
        assertThat(partitions.values()).allSatisfy(p -> assertThat(p).containsOnly(p.get(0)));
        Map<String, List<Long>> versions = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(r -> EventDocument.decode(r.value()).version(), Collectors.toList())));
        assertThat(versions.values()).allSatisfy(v -> assertThat(v).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void topics_per_aggregate_type_follow_the_naming_function() {
        String prefix = KafkaTestBroker.uniqueName("per-type");
        KafkaBusConfig config = KafkaBusConfig.builder(bootstrap).topicPerAggregateType(type -> prefix + "." + type)
                .consuming(prefix + ".Order").createTopics(2, (short) 1).build();
        StoredEvent event = events.ordered(UUID.randomUUID());

        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, KafkaTesting.registry())) {
            publisher.publish(event);
        }

        assertThat(KafkaTesting.readAll(bootstrap, prefix + ".Order", 1)).singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo(event.aggregateId().toString()));
    }

    @Test
    void an_illegal_computed_topic_name_is_refused_before_anything_is_sent() {
        KafkaBusConfig config = KafkaBusConfig.builder(bootstrap).topicPerAggregateType(type -> "orders/" + type)
                .consuming("orders").build();

        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, KafkaTesting.registry())) {
            assertThatThrownBy(() -> publisher.publish(events.ordered(UUID.randomUUID())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the topic for aggregate type Order").hasMessageContaining("'orders/Order'")
                    .hasMessageContaining("character '/'");
            assertThat(publisher.stats().published()).isZero();
        }
    }

    @Test
    void the_configuration_refuses_illegal_names_and_settings_the_bus_owns() {
        assertThatThrownBy(() -> KafkaBusConfig.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).topic("a".repeat(250)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("250 characters");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).topic(".."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).producerProperty("acks", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'acks' is set by the bus");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).topicPerAggregateType(t -> t).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consuming(");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).deliveryTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryTimeout");
    }

    /** Kafka's settings are checked when set; text for a number works, as it does in Kafka's own properties. */
    @Test
    void extra_settings_are_checked_against_kafka_when_set_and_numbers_may_be_given_as_text() {
        KafkaBusConfig config = KafkaBusConfig.builder(bootstrap).topic("texts").producerProperty("linger.ms", "5")
                .producerProperty("batch.size", "131072").consumerProperty("max.poll.records", "200").build();
        assertThat(KafkaEventPublisher.producerConfig(config)).containsEntry("linger.ms", "5")
                .containsEntry("batch.size", "131072").containsKey("request.timeout.ms");
        assertThat(KafkaEventPublisher.producerConfig(KafkaBusConfig.builder(bootstrap).topic("defaults").build()))
                .containsEntry("batch.size", KafkaEventPublisher.DEFAULT_BATCH_BYTES).containsEntry("linger.ms", 1);
        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, KafkaTesting.registry())) {
            assertThat(publisher.config().producerProperties()).containsEntry("batch.size", "131072");
        }

        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).producerProperty("linger.ms", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("producerProperty('linger.ms'")
                .hasMessageContaining("'soon'").hasMessageContaining("LONG");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).producerProperty("batch.size", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch.size");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).consumerProperty("max.poll.records", "many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumerProperty('max.poll.records'");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).producerProperty("linger.ms", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("linger.ms");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).topic("t").producerProperty("batch.size", 64 << 20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch.size 67108864")
                .hasMessageContaining("buffer.memory 33554432");
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).topic("t").producerProperty("buffer.memory", "65536").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch.size 262144");
        // A password of the wrong type is refused without repeating it.
        assertThatThrownBy(() -> KafkaBusConfig.builder(bootstrap).producerProperty("ssl.key.password", 987654321))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ssl.key.password")
                .hasMessageContaining("a password value").hasMessageNotContaining("987654321");
    }

    @Test
    void a_publisher_whose_broker_is_unreachable_fails_within_its_bounded_wait() {
        KafkaBusConfig config = KafkaBusConfig.builder("127.0.0.1:" + closedPort()).topic("nowhere")
                .maxBlock(Duration.ofSeconds(1)).deliveryTimeout(Duration.ofSeconds(2)).build();

        try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, KafkaTesting.registry())) {
            assertThatThrownBy(() -> publisher.publish(events.ordered(UUID.randomUUID())))
                    .isInstanceOf(BusUnavailableException.class)
                    .hasMessageContaining("did not acknowledge").hasMessageContaining("publish them all again");
            assertThat(publisher.stats().published()).isZero();
        }
    }

    private static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
