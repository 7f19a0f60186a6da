package dev.eventsource.bus;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the in-process bus does beyond the bus contract (which the TCK runs against both modes):
 * synchronous read-after-write, asynchronous lanes, executor ownership, interrupting at the deadline.
 */
class InMemoryEventBusTest {

    record Happened(int n) implements DomainEvent {
    }

    /** Not a DomainEvent, to check the selector's refusal of a raw class. */
    record NotAnEvent() {
    }

    private final AtomicLong positions = new AtomicLong();
    private final List<EventBus> buses = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        buses.forEach(b -> b.shutdown(Duration.ofSeconds(10)));
        pool.shutdownNow();
    }

    private <B extends EventBus> B track(B bus) {
        buses.add(bus);
        return bus;
    }

    private StoredEvent event(UUID aggregateId, long version) {
        Instant now = Instant.now();
        return new StoredEvent(UUID.randomUUID(), "Happened", aggregateId, "Thing", version, positions.incrementAndGet(),
                now, now, EventMetadata.EMPTY, new Happened((int) version));
    }

    private static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(1, TimeUnit.MINUTES);
    }

    @Test
    void a_synchronous_publish_returns_after_every_handler_ran() {
        InMemoryEventBus bus = track(new InMemoryEventBus());
        List<Integer> seen = new ArrayList<>();
        bus.subscribe(Happened.class, (e, envelope) -> seen.add(e.n()));
        bus.subscribe(ConsumerGroup.named("second"), (e, envelope) -> seen.add(-((Happened) e).n()));

        bus.publish(event(UUID.randomUUID(), 1));

        assertThat(seen).containsExactlyInAnyOrder(1, -1);
        assertThat(bus.isSynchronous()).isTrue();
        assertThat(bus.stats().pending()).isZero();
    }

    @Test
    void an_asynchronous_publish_returns_while_a_handler_is_still_running() throws Exception {
        InMemoryEventBus bus = track(InMemoryEventBus.asynchronous(pool));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        bus.subscribeToAll((e, envelope) -> {
            await(release);
            done.countDown();
        });

        bus.publish(event(UUID.randomUUID(), 1));

        assertThat(bus.stats().pending()).isEqualTo(1);
        release.countDown();
        assertThat(await(done)).isTrue();
        assertThat(bus.shutdown(Duration.ofMinutes(1)).isComplete()).isTrue();
    }

    @Test
    void an_aggregate_blocked_in_its_lane_does_not_hold_up_an_aggregate_of_another_lane() throws Exception {
        InMemoryEventBus bus = track(InMemoryEventBus.asynchronous(pool, 2));
        UUID blocked = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        while (Math.floorMod(other.hashCode(), 2) == Math.floorMod(blocked.hashCode(), 2)) {
            other = UUID.randomUUID();
        }
        UUID free = other;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherHandled = new CountDownLatch(1);
        bus.subscribeToAll((e, envelope) -> {
            if (envelope.aggregateId().equals(blocked)) {
                await(release);
            } else if (envelope.aggregateId().equals(free)) {
                otherHandled.countDown();
            }
        });

        bus.publish(List.of(event(blocked, 1), event(free, 1)));

        assertThat(await(otherHandled)).as("the other lane's event is handled while the first is blocked").isTrue();
        release.countDown();
    }

    @Test
    void one_lane_delivers_in_publish_order_across_aggregates() {
        InMemoryEventBus bus = track(InMemoryEventBus.asynchronous(pool, 1));
        List<UUID> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeToAll((e, envelope) -> seen.add(envelope.eventId()));
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event(UUID.randomUUID(), 1));
        }

        bus.publish(events);
        assertThat(bus.shutdown(Duration.ofMinutes(1)).isComplete()).isTrue();

        assertThat(seen).containsExactlyElementsOf(events.stream().map(StoredEvent::eventId).toList());
    }

    @Test
    void shutdown_leaves_the_caller_s_executor_running_and_stops_its_own() throws Exception {
        InMemoryEventBus onCallers = InMemoryEventBus.asynchronous(pool);
        onCallers.shutdown(Duration.ZERO);

        assertThat(pool.isShutdown()).isFalse();
        assertThat(pool.submit(() -> 42).get(1, TimeUnit.MINUTES)).isEqualTo(42);
    }

    @Test
    void shutdown_interrupts_a_handler_still_running_at_the_deadline_without_counting_a_failure() throws Exception {
        InMemoryEventBus bus = track(InMemoryEventBus.asynchronous(pool));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        bus.subscribe(ConsumerGroup.named("slow").retrying(RetryPolicy.noRetry()), (e, envelope) -> {
            entered.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException stop) {
                interrupted.countDown();
                throw stop;
            }
        });
        StoredEvent event = event(UUID.randomUUID(), 1);
        bus.publish(event);
        assertThat(await(entered)).isTrue();

        BusShutdownReport report = bus.shutdown(Duration.ZERO);

        assertThat(report.undelivered()).containsExactly(new BusShutdownReport.Undelivered("slow", event));
        assertThat(await(interrupted)).isTrue();
        assertThat(bus.deadLetters("slow")).isEmpty();
        assertThat(bus.stats().failed()).isZero();
        assertThat(bus.stats().pending()).isZero();
    }

    @Test
    void a_handler_may_unsubscribe_itself_while_it_runs() {
        InMemoryEventBus bus = track(new InMemoryEventBus());
        List<Integer> seen = new ArrayList<>();
        BusSubscription[] self = new BusSubscription[1];
        self[0] = bus.subscribe(Happened.class, (e, envelope) -> {
            seen.add(e.n());
            self[0].unsubscribe();
        });
        UUID id = UUID.randomUUID();

        bus.publish(List.of(event(id, 1), event(id, 2)));

        assertThat(seen).containsExactly(1);
        assertThat(self[0].isActive()).isFalse();
    }

    @Test
    void an_error_the_groups_policy_calls_permanent_is_dead_lettered_without_retries() {
        InMemoryEventBus bus = track(new InMemoryEventBus());
        AtomicInteger attempts = new AtomicInteger();
        bus.subscribe(ConsumerGroup.named("strict").retrying(RetryPolicy.exponential(5, Duration.ofMillis(1), Duration.ofMillis(2))
                .permanentOn(IllegalArgumentException.class)), (e, envelope) -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("bad data");
        });

        bus.publish(event(UUID.randomUUID(), 1));

        assertThat(attempts.get()).isEqualTo(1);
        assertThat(bus.deadLetters("strict")).singleElement().satisfies(d -> assertThat(d.attempts()).isEqualTo(1));
    }

    @Test
    void replaying_for_a_group_without_a_live_member_is_refused_and_keeps_the_dead_letter() {
        InMemoryEventBus bus = track(new InMemoryEventBus());
        BusSubscription subscription = bus.subscribe(ConsumerGroup.named("billing").retrying(RetryPolicy.noRetry()),
                (e, envelope) -> {
                    throw new IllegalStateException("bug");
                });
        bus.publish(event(UUID.randomUUID(), 1));
        String id = bus.deadLetters("billing").get(0).id();
        subscription.unsubscribe();

        assertThatThrownBy(() -> bus.replay(id)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'billing'").hasMessageContaining("subscribe to the group, then replay");
        assertThat(bus.deadLetters("billing")).extracting(BusDeadLetter::id).containsExactly(id);
    }

    @Test
    void events_queued_for_a_group_whose_last_member_left_are_dropped() throws Exception {
        InMemoryEventBus bus = track(InMemoryEventBus.asynchronous(pool, 1));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean secondHandled = new AtomicBoolean();
        UUID id = UUID.randomUUID();
        StoredEvent first = event(id, 1);
        BusSubscription subscription = bus.subscribeToAll((e, envelope) -> {
            if (envelope.equals(first)) {
                entered.countDown();
                await(release);
            } else {
                secondHandled.set(true);
            }
        });
        bus.publish(List.of(first, event(id, 2)));
        assertThat(await(entered)).isTrue();

        Thread leaving = new Thread(subscription::unsubscribe);
        leaving.start();
        while (subscription.isActive()) {
            Thread.onSpinWait();
        }
        release.countDown();
        leaving.join();

        assertThat(bus.shutdown(Duration.ofMinutes(1)).isComplete()).isTrue();
        assertThat(secondHandled).isFalse();
        assertThat(bus.stats().delivered()).isEqualTo(1);
    }

    @Test
    void publishing_on_an_executor_shut_down_before_the_bus_is_refused_and_leaves_nothing_pending() {
        ExecutorService gone = Executors.newSingleThreadExecutor();
        gone.shutdown();
        InMemoryEventBus bus = track(InMemoryEventBus.asynchronous(gone));
        bus.subscribeToAll((e, envelope) -> { });
        bus.subscribe(ConsumerGroup.named("second"), (e, envelope) -> { });

        assertThatThrownBy(() -> bus.publish(List.of(event(UUID.randomUUID(), 1), event(UUID.randomUUID(), 1))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused work").hasMessageContaining("shut the bus down before its executor");
        assertThat(bus.stats().pending()).isZero();
    }

    @Test
    void refuses_bad_construction_and_deadlines() {
        assertThatThrownBy(() -> InMemoryEventBus.asynchronous(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("executor");
        assertThatThrownBy(() -> InMemoryEventBus.asynchronous(pool, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lanes must be >= 1");
        InMemoryEventBus bus = track(new InMemoryEventBus());
        assertThatThrownBy(() -> bus.shutdown(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void consumer_groups_and_selectors_validate_themselves() {
        assertThatThrownBy(() -> ConsumerGroup.named(" billing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without surrounding blanks");
        assertThatThrownBy(() -> ConsumerGroup.named("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsumerGroup.named("g").selecting(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("EventSelector.all()");
        assertThatThrownBy(() -> EventSelector.ofType(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EventRegistry.typeName");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<? extends DomainEvent> raw = (Class) NotAnEvent.class;
        assertThatThrownBy(() -> EventSelector.ofClass(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a DomainEvent");
        assertThat(ConsumerGroup.anonymous(EventSelector.all()).name()).startsWith(ConsumerGroup.ANONYMOUS_PREFIX);
    }
}
