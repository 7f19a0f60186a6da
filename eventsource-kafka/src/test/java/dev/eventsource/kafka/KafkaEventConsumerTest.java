package dev.eventsource.kafka;

import dev.eventsource.bus.BusDeadLetter;
import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventSelector;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.subscription.RetryPolicy;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.wire.EventDocument;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.eventsource.kafka.KafkaTesting.eventually;
import static org.assertj.core.api.Assertions.assertThat;

class KafkaEventConsumerTest {

    private final KafkaTesting events = new KafkaTesting();
    private final String bootstrap = KafkaTestBroker.shared().bootstrapServers();
    private final List<AutoCloseable> open = new ArrayList<>();

    private <T extends AutoCloseable> T open(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void foreign_not_json_and_unknown_type_messages_are_dead_lettered_with_the_reason_and_the_consumer_goes_on()
            throws Exception {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        EventRegistry registry = KafkaTesting.registry();
        KafkaEventBus bus = open(new KafkaEventBus(config, registry));
        List<StoredEvent> handled = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(ConsumerGroup.named("projector"), (event, envelope) -> handled.add(envelope));
        UUID order = UUID.randomUUID();
        EventRegistry newer = KafkaTesting.registry();
        newer.register(KafkaTesting.Refunded.class);
        StoredEvent refunded = events.stored(order, new KafkaTesting.Refunded("damaged"), EventMetadata.EMPTY);
        String topic = config.consumedTopics().get(0);

        try (KafkaProducer<String, byte[]> raw = KafkaTesting.rawProducer(bootstrap)) {
            raw.send(new ProducerRecord<>(topic, order.toString(), "hello, not JSON".getBytes(StandardCharsets.UTF_8))).get();
            raw.send(new ProducerRecord<>(topic, order.toString(), "{\"someone\":\"else\"}".getBytes(StandardCharsets.UTF_8))).get();
            raw.send(new ProducerRecord<>(topic, order.toString(), EventDocument.encodeBytes(refunded, new EventMapper(newer)))).get();
        }
        StoredEvent ours = events.ordered(order);
        bus.publish(ours);

        eventually("our event is handled after the foreign ones", () -> handled.size() == 1);
        assertThat(handled).containsExactly(ours);
        eventually("the three foreign messages are dead-lettered", () -> bus.deadLetters("projector").size() == 3);
        List<BusDeadLetter> letters = bus.deadLetters("projector");
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.event()).isNull();
            assertThat(l.undecodable()).isNotNull();
            assertThat(l.undecodable().key()).isEqualTo(order.toString());
            assertThat(l.undecodable().source()).startsWith(topic + "-");
        });
        assertThat(letters).extracting(BusDeadLetter::error).satisfiesExactly(
                e -> assertThat(e).contains("not an event document").contains("not valid JSON"),
                e -> assertThat(e).contains("not an event document").contains("unknown field 'someone'"),
                e -> assertThat(e).contains("unknown event type").contains(refunded.eventType()));
        assertThat(new String(letters.get(0).undecodable().value(), StandardCharsets.UTF_8)).isEqualTo("hello, not JSON");
        assertThat(bus.stats().deadLettered()).isEqualTo(3);

        registry.register(KafkaTesting.Refunded.class);   // the fix is deployed
        assertThat(bus.replay(letters.get(2).id())).isTrue();

        eventually("the replayed event is handled", () -> handled.size() == 2);
        assertThat(handled.get(1)).isEqualTo(refunded);
        eventually("its dead letter is gone", () -> bus.deadLetters("projector").size() == 2);
    }

    @Test
    void a_group_of_one_tenant_dead_letters_only_undecodable_messages_carrying_its_tenant_header() throws Exception {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        KafkaEventBus bus = open(new KafkaEventBus(config, KafkaTesting.registry()));
        List<StoredEvent> acmeHandled = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(ConsumerGroup.named("acme-projector").selecting(EventSelector.all().forTenant(TenantId.of("acme"))),
                (event, envelope) -> acmeHandled.add(envelope));
        bus.subscribe(ConsumerGroup.named("every-tenant"), (event, envelope) -> { });
        UUID order = UUID.randomUUID();
        String topic = config.consumedTopics().get(0);

        try (KafkaProducer<String, byte[]> raw = KafkaTesting.rawProducer(bootstrap)) {
            byte[] garbage = "not JSON".getBytes(StandardCharsets.UTF_8);
            raw.send(new ProducerRecord<>(topic, order.toString(), garbage)).get();
            ProducerRecord<String, byte[]> ofAcme = new ProducerRecord<>(topic, order.toString(), garbage);
            ofAcme.headers().add(KafkaHeaders.TENANT_ID, "acme".getBytes(StandardCharsets.UTF_8));
            raw.send(ofAcme).get();
            ProducerRecord<String, byte[]> ofGlobex = new ProducerRecord<>(topic, order.toString(), garbage);
            ofGlobex.headers().add(KafkaHeaders.TENANT_ID, "globex".getBytes(StandardCharsets.UTF_8));
            raw.send(ofGlobex).get();
        }
        StoredEvent ofGlobex = events.stored(order, new KafkaTesting.Refunded("globex's"), EventMetadata.EMPTY.withTenantId("globex"));
        StoredEvent ofAcme = events.stored(order, new KafkaTesting.Refunded("acme's"), EventMetadata.EMPTY.withTenantId("acme"));
        bus.publish(List.of(ofGlobex, ofAcme));

        eventually("acme's event is handled", () -> acmeHandled.size() == 1);
        eventually("the group of every tenant dead-letters all three", () -> bus.deadLetters("every-tenant").size() == 3);
        assertThat(acmeHandled).containsExactly(ofAcme);
        List<String> everySource = bus.deadLetters("every-tenant").stream().map(l -> l.undecodable().source()).toList();
        assertThat(bus.deadLetters("acme-projector")).as("only the second message, the one that says it is acme's")
                .singleElement().satisfies(l -> assertThat(l.undecodable().source()).isEqualTo(everySource.get(1)));
    }

    @Test
    void a_handler_that_always_throws_dead_letters_each_event_after_its_budget_and_others_are_unaffected() {
        KafkaEventBus bus = open(new KafkaEventBus(KafkaBuses.fresh().build(), KafkaTesting.registry()));
        AtomicInteger calls = new AtomicInteger();
        bus.subscribe(ConsumerGroup.named("broken").retrying(RetryPolicy.exponential(3, Duration.ofMillis(5), Duration.ofMillis(20))),
                (event, envelope) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("projection bug");
                });
        List<StoredEvent> healthy = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(ConsumerGroup.named("healthy"), (event, envelope) -> healthy.add(envelope));
        List<StoredEvent> published = events.interleaved(3, 4);

        bus.publish(published);

        eventually("every event is dead-lettered in the broken group", () -> bus.deadLetters("broken").size() == published.size());
        eventually("the healthy group got everything", () -> healthy.size() == published.size());
        assertThat(healthy).containsExactlyInAnyOrderElementsOf(published);
        assertThat(calls).hasValue(3 * published.size());
        assertThat(bus.deadLetters("broken")).allSatisfy(l -> {
            assertThat(l.attempts()).isEqualTo(3);
            assertThat(l.error()).isEqualTo("java.lang.IllegalStateException: projection bug");
        });
        assertThat(bus.deadLetters("broken")).extracting(BusDeadLetter::event).containsExactlyInAnyOrderElementsOf(published);
        assertThat(bus.deadLetters("healthy")).isEmpty();
    }

    @Test
    void dead_letters_outlive_the_consumer_and_a_new_process_replays_them() {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        KafkaEventBus bus = open(new KafkaEventBus(config, KafkaTesting.registry()));
        bus.subscribe(ConsumerGroup.named("billing").retrying(RetryPolicy.noRetry()), (event, envelope) -> {
            throw new IllegalStateException("down");
        });
        StoredEvent event = events.ordered(UUID.randomUUID());
        bus.publish(event);
        eventually("it is dead-lettered", () -> bus.deadLetters("billing").size() == 1);
        bus.shutdown(Duration.ofSeconds(10));

        KafkaEventConsumer restarted = open(new KafkaEventConsumer(config, KafkaTesting.registry()));
        eventually("the restarted process lists it", () -> restarted.deadLetters("billing").size() == 1);
        List<StoredEvent> handled = Collections.synchronizedList(new ArrayList<>());
        restarted.subscribe(ConsumerGroup.named("billing").retrying(RetryPolicy.noRetry()), (e, envelope) -> handled.add(envelope));
        assertThat(restarted.replay(restarted.deadLetters("billing").get(0).id())).isTrue();

        eventually("the replay is handled", () -> handled.size() == 1);
        assertThat(handled).containsExactly(event);
        eventually("the entry is gone", () -> restarted.deadLetters("billing").isEmpty());
    }

    @Test
    void a_member_closed_mid_batch_leaves_its_unfinished_events_to_the_other_member_nothing_lost() throws Exception {
        KafkaBusConfig config = KafkaBuses.fresh().build();
        KafkaEventPublisher publisher = open(new KafkaEventPublisher(config, KafkaTesting.registry()));
        KafkaEventConsumer crashing = open(new KafkaEventConsumer(config, KafkaTesting.registry()));
        KafkaEventConsumer surviving = open(new KafkaEventConsumer(config, KafkaTesting.registry()));
        Set<UUID> handledByCrashing = ConcurrentHashMap.newKeySet();
        Map<UUID, List<Long>> survivorVersions = new ConcurrentHashMap<>();
        Set<UUID> handledBySurvivor = ConcurrentHashMap.newKeySet();
        CountDownLatch stuck = new CountDownLatch(1);
        AtomicInteger crashingCalls = new AtomicInteger();
        crashing.subscribe(ConsumerGroup.named("workers"), (event, envelope) -> {
            if (crashingCalls.incrementAndGet() == 5) {
                stuck.countDown();
                new CountDownLatch(1).await();   // hangs until the shutdown interrupts it
            }
            handledByCrashing.add(envelope.eventId());
        });
        surviving.subscribe(ConsumerGroup.named("workers"), (event, envelope) -> {
            survivorVersions.computeIfAbsent(envelope.aggregateId(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(envelope.version());
            handledBySurvivor.add(envelope.eventId());
        });
        List<StoredEvent> published = new ArrayList<>();
        List<StoredEvent> round = events.interleaved(40, 5);
        publisher.publish(round);
        published.addAll(round);
        assertThat(stuck.await(1, TimeUnit.MINUTES)).as("the crashing member is in the middle of its batch").isTrue();

        BusShutdownReport report = crashing.shutdown(Duration.ofMillis(200));

        assertThat(report.undelivered()).as("the event it was handling and the rest of its batch").isNotEmpty();
        Set<UUID> ids = published.stream().map(StoredEvent::eventId).collect(Collectors.toSet());
        eventually("every event is handled by one member or the other", () -> {
            Set<UUID> all = new HashSet<>(handledByCrashing);
            all.addAll(handledBySurvivor);
            return all.containsAll(ids);
        });
        Set<UUID> unfinished = report.undelivered().stream().map(u -> u.event().eventId()).collect(Collectors.toSet());
        eventually("the survivor got what the crashed member left unfinished",
                () -> handledBySurvivor.containsAll(unfinished));
        assertThat(survivorVersions.values()).allSatisfy(v -> assertThat(v).isSorted());
    }
}
