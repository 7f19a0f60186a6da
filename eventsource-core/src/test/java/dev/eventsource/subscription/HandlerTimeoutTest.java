package dev.eventsource.subscription;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-handler timeouts and the onError listener, through a real manager over the in-memory store. */
class HandlerTimeoutTest {

    record Noted(String text) implements DomainEvent {
    }

    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Noted.class));
    private final SubscriptionManager manager = SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(20))
            .build();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<HandlerFailure> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        release.countDown();
        manager.close();
        store.close();
    }

    private void append(String... texts) {
        for (String text : texts) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted(text)), ExpectedVersion.NO_STREAM);
        }
    }

    private static String text(StoredEvent e) {
        return ((Noted) e.event()).text();
    }

    private SubscriptionOptions.Builder options() {
        return SubscriptionOptions.builder().handlerTimeout(Duration.ofMillis(150))
                .retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(1), Duration.ofMillis(1)))
                .onError(failures::add);
    }

    @Test
    void a_handler_that_hangs_on_one_event_is_interrupted_retried_and_dead_lettered_and_later_events_are_handled()
            throws Exception {
        Subscription s = manager.subscribe("hangs", event -> {
            if (text(event).equals("hang")) {
                new CountDownLatch(1).await();   // forever, unless interrupted
            }
            handled.add(text(event));
        }, options().build());
        append("a", "hang", "b");

        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(handled).containsExactly("a", "b");
        List<DeadLetter> letters = manager.deadLetters().list("hangs");
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.attempts()).isEqualTo(3);
            assertThat(l.error()).contains(HandlerTimeoutException.class.getName()).contains("interrupted");
        });
        assertThat(failures).extracting(HandlerFailure::decision).containsExactly(HandlerFailure.Decision.RETRY,
                HandlerFailure.Decision.RETRY, HandlerFailure.Decision.DEAD_LETTER);
        assertThat(failures).extracting(HandlerFailure::attempt).containsExactly(1, 2, 3);
        assertThat(failures).allSatisfy(f -> {
            assertThat(f.error()).isInstanceOf(HandlerTimeoutException.class);
            assertThat(f.events()).extracting(HandlerTimeoutTest::text).containsExactly("hang");
            assertThat(f.globalPosition()).isEqualTo(2);
            assertThat(f.subscription()).isEqualTo("hangs");
        });
        assertThat(s.health().abandonedHandlers()).isZero();
    }

    @Test
    void a_handler_that_ignores_the_interrupt_is_abandoned_counted_and_the_subscription_goes_on() throws Exception {
        Subscription s = manager.subscribe("deaf", event -> {
            if (text(event).equals("hang")) {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // deaf to interrupts on purpose
                    }
                }
                return;
            }
            handled.add(text(event));
        }, options().retryPolicy(RetryPolicy.noRetry()).build());
        append("a", "hang", "b", "c");

        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(handled).containsExactly("a", "b", "c");
        SubscriptionHealth health = s.health();
        assertThat(health.abandonedHandlers()).isEqualTo(1);
        assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(health.reasons()).anyMatch(r -> r.contains("abandoned"));
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(((HandlerTimeoutException) f.error()).abandoned()).isTrue();
            assertThat(f.decision()).isEqualTo(HandlerFailure.Decision.DEAD_LETTER);
        });
    }

    @Test
    void a_batch_handler_that_hangs_is_split_and_only_the_hanging_event_is_dead_lettered() throws Exception {
        Subscription s = manager.subscribeBatches("batches", events -> {
            for (StoredEvent e : events) {
                if (text(e).equals("hang")) {
                    new CountDownLatch(1).await();
                }
            }
            events.forEach(e -> handled.add(text(e)));
        }, options().retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1)))
                .startFrom(StartFrom.BEGINNING).build());
        manager.subscription("batches").orElseThrow().pause();
        append("a", "hang", "b");
        s.resume();

        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(handled).contains("a", "b").doesNotContain("hang");
        assertThat(manager.deadLetters().list("batches")).extracting(DeadLetter::globalPosition).containsExactly(2L);
        assertThat(failures).extracting(HandlerFailure::decision).contains(HandlerFailure.Decision.DEAD_LETTER);
        assertThat(failures).allSatisfy(f -> assertThat(f.error()).isInstanceOf(HandlerTimeoutException.class));
    }

    @Test
    void the_listener_hears_every_failed_attempt_and_its_own_exception_changes_nothing() throws Exception {
        List<HandlerFailure> heard = new CopyOnWriteArrayList<>();
        Subscription s = manager.subscribe("throws", event -> {
            if (text(event).startsWith("bad")) {
                throw new IllegalStateException("rejected " + text(event));
            }
            handled.add(text(event));
        }, SubscriptionOptions.builder().retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1))
                .permanentOn(IllegalArgumentException.class)).onError(f -> {
                    heard.add(f);
                    throw new RuntimeException("listener bug");
                }).build());
        append("a", "bad", "b");

        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(handled).containsExactly("a", "b");
        assertThat(heard).extracting(HandlerFailure::decision)
                .containsExactly(HandlerFailure.Decision.RETRY, HandlerFailure.Decision.DEAD_LETTER);
        assertThat(heard.get(0).error()).hasMessage("rejected bad");
        assertThat(manager.deadLetters().count("throws")).isEqualTo(1);
    }

    @Test
    void a_handler_within_its_timeout_is_handled_normally_on_the_worker() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        Subscription s = manager.subscribe("quick", event -> {
            threads.add(Thread.currentThread().getName());
            handled.add(text(event));
        }, options().handlerTimeout(Duration.ofSeconds(30)).build());
        append("a", "b", "c");
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(handled).containsExactly("a", "b", "c");
        assertThat(threads).allMatch(n -> n.equals("eventsource-handler-quick"));
        assertThat(failures).isEmpty();
    }

    @Test
    void hammered_with_calls_around_the_timeout_each_event_is_completed_once_or_dead_lettered_never_both()
            throws Exception {
        int events = 400;
        java.util.Map<UUID, Integer> completions = new java.util.concurrent.ConcurrentHashMap<>();
        Subscription s = manager.subscribe("hammer", event -> {
            // Around the timeout: some calls finish in time, some just after it (within the grace), some are interrupted.
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(0, 4));
            completions.merge(event.eventId(), 1, Integer::sum);
        }, SubscriptionOptions.builder().handlerTimeout(Duration.ofMillis(2)).batchSize(50)
                .retryPolicy(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1))).build());
        for (int i = 0; i < events; i++) {
            append("e" + i);
        }

        assertThat(s.awaitCaughtUp(Duration.ofSeconds(120))).as(() -> "caught up; " + s.health()).isTrue();
        java.util.Set<UUID> dead = new java.util.HashSet<>();
        manager.deadLetters().list("hammer").forEach(l -> dead.add(l.eventId()));
        assertThat(completions.values()).as("no event completed twice").allMatch(n -> n == 1);
        assertThat(completions.keySet()).as("no dead-lettered event was completed").doesNotContainAnyElementsOf(dead);
        assertThat(completions.size() + dead.size()).as("every event completed or dead-lettered").isEqualTo(events);
        assertThat(s.health().eventsProcessed()).isEqualTo(completions.size());
        System.out.printf("handler timeout hammer: %d completed, %d dead-lettered, %d failed attempts%n",
                completions.size(), dead.size(), s.health().eventsFailed());
    }

    @Test
    void a_timeout_that_is_not_positive_or_over_a_day_is_refused() {
        assertThatThrownBy(() -> SubscriptionOptions.builder().handlerTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handlerTimeout must be positive");
        assertThatThrownBy(() -> SubscriptionOptions.builder().handlerTimeout(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most a day");
    }
}
