package dev.eventsource.subscription;

import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.relay.EventRelay;
import dev.eventsource.relay.RelayState;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreObserver;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription and a relay on a rare selection, live at the head of a long log whose only
 * selected event is its first: every read after they got there starts near the head, never again
 * at that first event. The store's observer sees where each page read starts.
 */
class FilteredPollTest {

    record Happened(int n) implements DomainEvent {
    }

    private static final int COMMON = 20_000;

    /** The start of every page read, of filtered reads only, in order. */
    private final List<Long> filteredReadsFrom = Collections.synchronizedList(new ArrayList<>());
    private InMemoryEventStore store;

    @BeforeEach
    void logWithOneRareEventFirst() {
        StoreObserver observer = new StoreObserver() {
            @Override
            public Observation readingPage(ReadOptions options, int max) {
                if (!options.aggregateTypes().isEmpty()) {
                    filteredReadsFrom.add(options.fromPosition().orElse(0));
                }
                return Observation.NONE;
            }
        };
        store = InMemoryEventStore.builder().eventRegistry(new EventRegistry().register(Happened.class)).observer(observer).build();
        store.appendEvents(UUID.randomUUID(), "Rare", List.of(new Happened(0)), ExpectedVersion.NO_STREAM);
        List<DomainEvent> batch = new ArrayList<>();
        for (int i = 1; i <= COMMON; i++) {
            batch.add(new Happened(i));
            if (batch.size() == 1_000) {
                store.appendEvents(UUID.randomUUID(), "Common", batch, ExpectedVersion.NO_STREAM);
                batch.clear();
            }
        }
    }

    @Test
    void a_live_subscription_on_a_rare_type_reads_on_from_where_its_last_page_got_to() throws Exception {
        List<StoredEvent> handled = Collections.synchronizedList(new ArrayList<>());
        try (SubscriptionManager manager = SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(10)).build()) {
            Subscription subscription = manager.subscribe("rare", handled::add, SubscriptionOptions.builder()
                    .startFrom(StartFrom.BEGINNING).aggregateTypes("Rare").batchSize(100).build());
            assertThat(subscription.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            await(() -> subscription.state() == SubscriptionState.LIVE);
            long head = store.globalPosition();
            filteredReadsFrom.clear();

            for (int i = 0; i < 20; i++) {
                store.appendEvents(UUID.randomUUID(), "Common", List.of(new Happened(i)), ExpectedVersion.NO_STREAM);
            }
            store.appendEvents(UUID.randomUUID(), "Rare", List.of(new Happened(-1)), ExpectedVersion.NO_STREAM);
            await(() -> handled.size() == 2);
            assertThat(subscription.health().lagEvents()).isZero();
            assertThat(subscription.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();

            assertThat(handled).extracting(StoredEvent::globalPosition).containsExactly(1L, head + 21);
            assertThat(subscription.position()).isEqualTo(head + 21);
            assertThat(filteredReadsFrom).as("reads after the subscription got to the head").isNotEmpty()
                    .allSatisfy(from -> assertThat(from).isGreaterThanOrEqualTo(head));
        }
    }

    @Test
    void a_live_relay_on_a_rare_type_reads_on_from_where_its_last_page_got_to() throws Exception {
        List<StoredEvent> published = Collections.synchronizedList(new ArrayList<>());
        InMemoryEventBus broker = new InMemoryEventBus();
        broker.subscribeToAll((event, envelope) -> published.add(envelope));
        try (EventRelay relay = EventRelay.builder("rare", store.recordedLog().orElseThrow(), new InMemoryCheckpointStore(), broker)
                .aggregateTypes("Rare").batchSize(100).pollInterval(Duration.ofMillis(10)).build().start()) {
            await(() -> published.size() == 1 && relay.status().state() == RelayState.LIVE);
            long head = store.globalPosition();
            await(() -> !filteredReadsFrom.isEmpty() && filteredReadsFrom.get(filteredReadsFrom.size() - 1) == head);
            filteredReadsFrom.clear();

            for (int i = 0; i < 20; i++) {
                store.appendEvents(UUID.randomUUID(), "Common", List.of(new Happened(i)), ExpectedVersion.NO_STREAM);
            }
            store.appendEvents(UUID.randomUUID(), "Rare", List.of(new Happened(-1)), ExpectedVersion.NO_STREAM);
            await(() -> published.size() == 2 && relay.status().lastPublishedPosition() == head + 21);
            assertThat(relay.status().lagEvents()).isZero();

            assertThat(published).extracting(StoredEvent::globalPosition).containsExactly(1L, head + 21);
            assertThat(filteredReadsFrom).as("reads after the relay got to the head").isNotEmpty()
                    .allSatisfy(from -> assertThat(from).isGreaterThanOrEqualTo(head));
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
