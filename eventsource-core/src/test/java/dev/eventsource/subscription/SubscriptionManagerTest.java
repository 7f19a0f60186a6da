package dev.eventsource.subscription;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manager's own rules, over the in-memory store; the shared behaviours are in the TCK's SubscriptionContract. */
class SubscriptionManagerTest {

    record Noted(String text) implements DomainEvent {
    }

    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Noted.class));
    private final SubscriptionManager manager = SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(20))
            .build();

    @AfterEach
    void close() {
        manager.close();
        store.close();
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(end);
            Thread.sleep(2);
        }
    }

    private static Projection projection(Set<String> types) {
        return new Projection() {
            @Override
            public Set<String> eventTypes() {
                return types;
            }

            @Override
            public void handle(StoredEvent event) {
            }

            @Override
            public void reset() {
            }
        };
    }

    @Test
    void a_projection_that_declares_its_types_refuses_types_in_the_options_too() {
        assertThatThrownBy(() -> manager.subscribe("p", projection(Set.of("Noted")),
                SubscriptionOptions.builder().eventTypes("Other").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declares its event types");
    }

    @Test
    void a_plain_subscriber_cannot_be_rebuilt() {
        manager.subscribe("plain", e -> { });

        assertThatThrownBy(() -> manager.rebuild("plain"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("implement Projection");
    }

    @Test
    void a_plain_subscriber_is_refused_a_rebuild_without_waiting_for_its_batch_in_progress() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean releasedByWatchdog = new AtomicBoolean();
        manager.subscribe("busy", e -> {
            handling.countDown();
            release.await();
        });
        store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM);
        handling.await();
        // Only keeps a regression from hanging the build: the assertion is on order, not on time.
        Thread watchdog = new Thread(() -> {
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    releasedByWatchdog.set(true);
                    release.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();

        assertThatThrownBy(() -> manager.rebuild("busy")).isInstanceOf(IllegalArgumentException.class);
        assertThat(releasedByWatchdog).as("refused only after the batch in progress ended").isFalse();
        release.countDown();
        watchdog.join();
    }

    @Test
    void an_unknown_subscription_is_named_in_the_refusal() {
        manager.subscribe("known", e -> { });

        assertThatThrownBy(() -> manager.rebuild("unknown"))
                .isInstanceOf(java.util.NoSuchElementException.class)
                .hasMessageContaining("unknown").hasMessageContaining("known");
    }

    @Test
    void nothing_can_subscribe_after_shutdown() throws InterruptedException {
        assertThat(manager.shutdown(Duration.ofSeconds(5))).isTrue();

        assertThatThrownBy(() -> manager.subscribe("late", e -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shut down");
    }

    @Test
    void unsubscribing_frees_the_name_and_keeps_the_checkpoint() throws InterruptedException {
        store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("a")), ExpectedVersion.NO_STREAM);
        List<StoredEvent> seen = new CopyOnWriteArrayList<>();
        manager.subscribe("reused", seen::add);
        eventually(() -> seen.size() == 1 && manager.checkpoints().find("reused").isPresent());

        assertThat(manager.unsubscribe("reused", Duration.ofSeconds(5))).isTrue();
        manager.subscribe("reused", seen::add);
        store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("b")), ExpectedVersion.NO_STREAM);

        eventually(() -> seen.size() == 2);
        assertThat(seen).extracting(e -> ((Noted) e.event()).text()).containsExactly("a", "b");
    }

    @Test
    void a_failing_append_listener_never_fails_the_append() {
        store.appendSignal().onAppend(() -> {
            throw new IllegalStateException("broken listener");
        });

        long position = store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM)
                .globalPosition();

        assertThat(position).isEqualTo(1);
    }

    @Test
    void subscription_threads_come_from_the_configured_factory() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        try (SubscriptionManager custom = SubscriptionManager.builder(store).threadFactory(r -> {
            made.incrementAndGet();
            return new Thread(r);
        }).build()) {
            custom.subscribe("a", e -> { });
            custom.subscribe("b", e -> { });
        }

        assertThat(made).hasValue(2);
    }

    @Test
    void the_default_threads_are_virtual_when_the_jvm_has_them() throws Exception {
        Thread t = SubscriptionManager.defaultThreadFactory().newThread(() -> { });
        boolean jvmHasVirtualThreads = Runtime.version().feature() >= 21;

        boolean virtual = jvmHasVirtualThreads && (boolean) Thread.class.getMethod("isVirtual").invoke(t);

        assertThat(virtual).isEqualTo(jvmHasVirtualThreads);
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void the_retry_delay_grows_exponentially_within_its_jitter_and_stops_at_the_maximum() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1), 2, 0.2);

        for (int i = 0; i < 100; i++) {
            assertThat(policy.delayAfter(1)).isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
            assertThat(policy.delayAfter(3)).isBetween(Duration.ofMillis(320), Duration.ofMillis(480));
            assertThat(policy.delayAfter(9)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1));
        }
        assertThat(policy.withJitter(0).delayAfter(2)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void bad_settings_are_refused_with_the_allowed_range() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2, 0))
                .hasMessageContaining("maxAttempts must be >= 1");
        assertThatThrownBy(() -> SubscriptionOptions.builder().batchSize(0)).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> StartFrom.after(-1)).hasMessageContaining("position must be >= 0");
        assertThatThrownBy(() -> CheckpointStrategy.periodic(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> SubscriptionManager.builder(store).pollInterval(Duration.ZERO))
                .hasMessageContaining("between 1 ms and 1 hour");
        assertThatThrownBy(() -> manager.subscribe(" ", e -> { })).hasMessageContaining("non-blank");
    }

    /** An event store that is not an {@code AbstractEventStore}: it offers only {@code readAll}, which decodes whole pages. */
    private record Decorated(EventStore delegate) implements EventStore {
        public AppendResult append(UUID id, String type, List<NewEvent> events, ExpectedVersion expected) {
            return delegate.append(id, type, events, expected);
        }
        public EventStream getEvents(UUID id, String type, long afterVersion) { return delegate.getEvents(id, type, afterVersion); }
        public Stream<StoredEvent> readAll(ReadOptions options) { return delegate.readAll(options); }
        public long getStreamVersion(UUID id, String type) { return delegate.getStreamVersion(id, type); }
        public boolean eventExists(UUID eventId) { return delegate.eventExists(eventId); }
        public long globalPosition() { return delegate.globalPosition(); }
        public void initialize() { delegate.initialize(); }
        public void close() { }
    }

    @Test
    void over_a_store_that_only_decodes_whole_pages_an_undecodable_event_stalls_the_subscription_visibly()
            throws InterruptedException {
        Instant now = Instant.now();
        store.importRecorded(List.of(new RecordedEvent(UUID.randomUUID(), "NeverRegistered", 1, UUID.randomUUID(), "Note",
                1, 0, now, now, null, "{}", "{}")));
        try (SubscriptionManager decorated = SubscriptionManager.builder(new Decorated(store))
                .pollInterval(Duration.ofMillis(20)).build()) {
            Subscription s = decorated.subscribe("whole-pages", event -> { });

            eventually(() -> s.state() == SubscriptionState.STALLED);

            assertThat(s.health().lastError()).contains("NeverRegistered");
            assertThat(decorated.health().healthy()).isFalse();
        }
    }
}
