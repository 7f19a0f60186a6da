package dev.eventsource.subscription;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batch subscribers: a batch per call, retried whole, then event by event; the checkpoint after the call. */
class BatchSubscriberTest {

    record Noted(int n) implements DomainEvent {
    }

    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Noted.class));
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final SubscriptionManager manager = SubscriptionManager.builder(store).checkpoints(checkpoints)
            .deadLetters(deadLetters).pollInterval(Duration.ofMillis(20)).build();

    @AfterEach
    void close() {
        manager.close();
        store.close();
    }

    private void append(int from, int to) {
        for (int n = from; n <= to; n++) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted(n)), ExpectedVersion.NO_STREAM);
        }
    }

    private static SubscriptionOptions options(int batchSize, RetryPolicy retry) {
        return SubscriptionOptions.builder().batchSize(batchSize).retryPolicy(retry).build();
    }

    private static List<Integer> numbers(List<StoredEvent> events) {
        return events.stream().map(e -> ((Noted) e.event()).n()).toList();
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(end);
            Thread.sleep(2);
        }
    }

    @Test
    void each_read_batch_arrives_in_one_call_in_log_order_and_the_checkpoint_follows_it() throws Exception {
        append(1, 25);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();

        Subscription s = manager.subscribeBatches("batches", events -> calls.add(numbers(events)),
                options(10, RetryPolicy.DEFAULT));

        eventually("the subscription to be live", () -> s.state() == SubscriptionState.LIVE);
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(calls.get(2)).containsExactly(21, 22, 23, 24, 25);
        assertThat(checkpoints.find("batches")).map(Checkpoint::position).contains(25L);
        assertThat(checkpoints.find("batches")).map(Checkpoint::eventsProcessed).contains(25L);
    }

    @Test
    void a_failed_batch_is_retried_whole_and_the_checkpoint_waits_for_it() throws Exception {
        append(1, 5);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        List<Long> checkpointDuringFailures = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);

        Subscription s = manager.subscribeBatches("retried", events -> {
            calls.add(numbers(events));
            if (failuresLeft.getAndDecrement() > 0) {
                checkpointDuringFailures.add(checkpoints.find("retried").map(Checkpoint::position).orElse(0L));
                throw new IllegalStateException("broker down");
            }
        }, options(10, RetryPolicy.exponential(5, Duration.ofMillis(1), Duration.ofMillis(1))));

        eventually("the subscription to be live", () -> s.state() == SubscriptionState.LIVE);
        assertThat(calls).containsExactly(List.of(1, 2, 3, 4, 5), List.of(1, 2, 3, 4, 5), List.of(1, 2, 3, 4, 5));
        assertThat(checkpointDuringFailures).containsExactly(0L, 0L);
        assertThat(checkpoints.find("retried")).map(Checkpoint::position).contains(5L);
        assertThat(s.health().eventsFailed()).isEqualTo(2);
        assertThat(deadLetters.count("retried")).isZero();
    }

    @Test
    void once_the_budget_is_spent_the_batch_goes_event_by_event_and_only_the_failing_event_is_dead_lettered()
            throws Exception {
        append(1, 6);
        List<List<Integer>> calls = new CopyOnWriteArrayList<>();

        Subscription s = manager.subscribeBatches("split", events -> {
            calls.add(numbers(events));
            if (numbers(events).contains(4)) {
                throw new IllegalStateException("cannot publish 4");
            }
        }, options(10, RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1))));

        eventually("the subscription to be live", () -> s.state() == SubscriptionState.LIVE);
        List<Integer> handledAlone = new ArrayList<>();
        calls.stream().filter(c -> c.size() == 1).forEach(c -> handledAlone.add(c.get(0)));
        assertThat(calls.subList(0, 2)).containsOnly(List.of(1, 2, 3, 4, 5, 6));
        assertThat(handledAlone).containsExactly(1, 2, 3, 4, 4, 5, 6);
        assertThat(deadLetters.list("split")).singleElement().satisfies(d -> {
            assertThat(d.globalPosition()).isEqualTo(4);
            assertThat(d.attempts()).isEqualTo(2);
        });
        assertThat(checkpoints.find("split")).map(Checkpoint::position).contains(6L);
    }

    @Test
    void an_unlimited_policy_never_dead_letters_and_keeps_the_order() throws Exception {
        append(1, 12);
        List<Integer> handled = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(40);

        Subscription s = manager.subscribeBatches("forever", events -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("broker down");
            }
            handled.addAll(numbers(events));
        }, options(5, RetryPolicy.forever(Duration.ofMillis(1), Duration.ofMillis(2))));

        eventually("every event to be handled", () -> handled.size() == 12);
        assertThat(handled).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(deadLetters.count("forever")).isZero();
        assertThat(s.health().eventsFailed()).isEqualTo(40);
        assertThat(RetryPolicy.forever(Duration.ofMillis(1), Duration.ofMillis(2)).isUnlimited()).isTrue();
        assertThat(RetryPolicy.DEFAULT.isUnlimited()).isFalse();
    }

    @Test
    void pausing_cuts_a_retry_wait_short_and_resuming_hands_the_batch_over_again() throws Exception {
        append(1, 3);
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        AtomicInteger failing = new AtomicInteger(1);

        Subscription s = manager.subscribeBatches("paused", events -> {
            attempts.incrementAndGet();
            if (failing.get() == 1) {
                throw new IllegalStateException("broker down");
            }
            handled.addAll(numbers(events));
        }, options(10, RetryPolicy.forever(Duration.ofHours(1), Duration.ofHours(1))));
        eventually("a first failed attempt", () -> attempts.get() == 1);

        s.pause();
        eventually("the subscription to be paused, not waiting the hour out", () -> s.state() == SubscriptionState.PAUSED);
        assertThat(checkpoints.find("paused")).isEmpty();
        failing.set(0);
        s.resume();

        eventually("the batch to be handled", () -> handled.size() == 3);
        assertThat(handled).containsExactly(1, 2, 3);
        assertThat(attempts.get()).isEqualTo(2);
    }

    @Test
    void a_batch_subscriber_has_no_read_model_to_rebuild() {
        manager.subscribeBatches("plain", events -> { }, SubscriptionOptions.DEFAULTS);

        assertThatThrownBy(() -> manager.rebuild("plain")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BatchSubscriber");
    }
}
