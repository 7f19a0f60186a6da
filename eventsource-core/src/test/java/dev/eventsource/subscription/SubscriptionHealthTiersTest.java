package dev.eventsource.subscription;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tiered health and the manager's probes: each transition driven through a real manager and store. */
class SubscriptionHealthTiersTest {

    record Noted(String text) implements DomainEvent {
    }

    /** The system clock moved by an offset the test sets. */
    static final class MovableClock extends Clock {
        final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(Duration by) {
            offset.updateAndGet(o -> o.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }

    /** Turns off every check but the ones a test sets. */
    private static final HealthThresholds NONE = HealthThresholds.DEFAULTS.lagEvents(Long.MAX_VALUE, Long.MAX_VALUE)
            .lag(HealthThresholds.NEVER, HealthThresholds.NEVER).errorRate(Duration.ofMinutes(1), Long.MAX_VALUE, 1, 1)
            .deadLetters(Long.MAX_VALUE, Long.MAX_VALUE);

    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Noted.class));
    private final MovableClock clock = new MovableClock();
    private final Semaphore gate = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private SubscriptionManager manager;

    @AfterEach
    void close() {
        gate.release(1_000);
        release.countDown();
        if (manager != null) {
            manager.close();
        }
        store.close();
    }

    private SubscriptionManager manager(HealthThresholds thresholds) {
        manager = SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(20)).clock(clock)
                .healthThresholds(thresholds).build();
        return manager;
    }

    private void append(String... texts) {
        for (String text : texts) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted(text)), ExpectedVersion.NO_STREAM);
        }
    }

    private static String text(StoredEvent e) {
        return ((Noted) e.event()).text();
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(end);
            Thread.sleep(5);
        }
    }

    /** A subscriber that handles one event per permit of {@link #gate}. */
    private Subscription gated(String name) {
        return manager.subscribe(name, event -> gate.acquire(), SubscriptionOptions.builder().batchSize(1).build());
    }

    @Test
    void lag_in_events_goes_healthy_degraded_unhealthy_and_back_and_readiness_follows() throws Exception {
        manager(NONE.lagEvents(2, 4));
        Subscription s = gated("lagging");
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(manager.readiness().up()).isTrue();

        append("1", "2");
        eventually("lag 2", () -> s.health().lagEvents() == 2);
        assertThat(s.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(s.health().reasons()).anyMatch(r -> r.contains("behind by 2 events"));
        ProbeResult ready = manager.readiness();
        assertThat(ready.up()).isTrue();
        assertThat(ready.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(ready.httpStatus()).isEqualTo(200);

        append("3", "4");
        eventually("lag 4", () -> s.health().lagEvents() == 4);
        assertThat(s.health().status()).isEqualTo(HealthStatus.UNHEALTHY);
        ready = manager.readiness();
        assertThat(ready.up()).isFalse();
        assertThat(ready.httpStatus()).isEqualTo(503);
        assertThat(ready.reasons()).anyMatch(r -> r.startsWith("lagging: behind by 4 events (unhealthy from 4)"));
        assertThat(manager.liveness().up()).as("lag does not make it dead").isTrue();

        gate.release(4);
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(manager.readiness().reasons()).isEmpty();
    }

    @Test
    void lag_in_time_goes_degraded_then_unhealthy_as_the_oldest_unhandled_event_ages() throws Exception {
        manager(NONE.lag(Duration.ofMinutes(1), Duration.ofHours(1)));
        Subscription s = gated("aging");
        append("1");
        eventually("lag 1", () -> s.health().lagEvents() == 1);
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);

        clock.advance(Duration.ofMinutes(2));
        assertThat(s.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(s.health().reasons()).anyMatch(r -> r.contains("degraded from PT1M"));

        clock.advance(Duration.ofHours(1));
        assertThat(s.health().status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(manager.readiness().up()).isFalse();

        gate.release();
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(s.health().lagTime()).isZero();
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void the_error_rate_over_the_window_degrades_then_fails_and_recovers_when_the_window_moves_on() throws Exception {
        manager(NONE.errorRate(Duration.ofSeconds(60), 4, 0.2, 0.5));
        Subscription s = manager.subscribe("erring", event -> {
            if (text(event).startsWith("bad")) {
                throw new IllegalStateException("bad event");
            }
        }, SubscriptionOptions.builder().retryPolicy(RetryPolicy.noRetry()).build());
        append("a", "b", "c");
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);

        append("bad1");   // 1 failed of 4 attempts: the window holds enough now
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(s.health().errorRate()).isEqualTo(0.25);
        assertThat(s.health().status()).isEqualTo(HealthStatus.DEGRADED);

        append("bad2", "bad3");   // 3 of 6
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(s.health().errorRate()).isEqualTo(0.5);
        assertThat(s.health().status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(s.health().reasons()).anyMatch(r -> r.contains("error rate 50.0 %") && r.contains("3 of 6"));

        clock.advance(Duration.ofSeconds(61));
        assertThat(s.health().errorRate()).isZero();
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void the_dead_letter_count_degrades_then_fails_and_a_successful_retry_heals() throws Exception {
        manager(NONE.deadLetters(1, 2));
        AtomicBoolean broken = new AtomicBoolean(true);
        Subscription s = manager.subscribe("dlq", event -> {
            if (broken.get() && text(event).startsWith("bad")) {
                throw new IllegalStateException("bad event");
            }
        }, SubscriptionOptions.builder().retryPolicy(RetryPolicy.noRetry()).build());
        append("a", "bad1");
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(s.health().status()).isEqualTo(HealthStatus.DEGRADED);
        append("bad2");
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(s.health().status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(s.health().reasons()).anyMatch(r -> r.contains("2 unresolved dead letters"));

        broken.set(false);
        assertThat(manager.retryDeadLetters("dlq")).isEqualTo(2);
        assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void a_handler_stuck_past_stuck_after_fails_liveness_and_readiness_until_it_returns() throws Exception {
        manager(NONE.stuckAfter(Duration.ofMinutes(5)));
        CountDownLatch inside = new CountDownLatch(1);
        Subscription s = manager.subscribe("stuck", event -> {
            inside.countDown();
            release.await();
        });
        append("1");
        assertThat(inside.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(manager.liveness().up()).isTrue();

        clock.advance(Duration.ofMinutes(6));
        ProbeResult live = manager.liveness();
        assertThat(live.up()).isFalse();
        assertThat(live.httpStatus()).isEqualTo(503);
        assertThat(live.reasons()).singleElement().asString().startsWith("stuck: stuck, one handler call has run for");
        assertThat(manager.readiness().up()).isFalse();

        release.countDown();
        assertThat(s.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        assertThat(manager.liveness().up()).isTrue();
        assertThat(manager.readiness().up()).isTrue();
    }

    @Test
    void a_subscription_stopped_by_a_dead_letter_is_not_ready_but_alive_and_a_paused_one_is_degraded() throws Exception {
        manager(NONE);
        Subscription failing = manager.subscribe("stops", event -> {
            throw new IllegalStateException("no");
        }, SubscriptionOptions.builder().retryPolicy(RetryPolicy.noRetry()).afterDeadLetter(AfterDeadLetter.STOP).build());
        Subscription paused = manager.subscribe("paused", event -> { });
        paused.pause();
        append("1");
        eventually("FAILED", () -> failing.state() == SubscriptionState.FAILED);
        eventually("PAUSED", () -> paused.state() == SubscriptionState.PAUSED);

        assertThat(paused.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(failing.health().status()).isEqualTo(HealthStatus.UNHEALTHY);
        ProbeResult ready = manager.readiness();
        assertThat(ready.up()).isFalse();
        assertThat(ready.reasons()).anyMatch(r -> r.startsWith("stops: failed")).anyMatch(r -> r.equals("paused: paused"));
        assertThat(manager.liveness().up()).as("a restart would not help").isTrue();
    }

    @Test
    void readiness_is_down_once_the_manager_is_shut_down() throws Exception {
        manager(HealthThresholds.DEFAULTS);
        manager.subscribe("any", event -> { });
        assertThat(manager.readiness().up()).isTrue();
        manager.shutdown(Duration.ofSeconds(30));
        assertThat(manager.readiness().up()).isFalse();
        assertThat(manager.readiness().reasons()).contains("the subscription manager is shut down");
    }

    @Test
    void never_turns_the_stuck_check_off() throws Exception {
        manager(NONE.stuckAfter(HealthThresholds.NEVER));
        CountDownLatch inside = new CountDownLatch(1);
        manager.subscribe("slow", event -> {
            inside.countDown();
            release.await();
        });
        append("1");
        assertThat(inside.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofDays(3650));
        assertThat(manager.liveness().up()).isTrue();
        assertThat(manager.subscription("slow").orElseThrow().health().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void thresholds_out_of_order_are_refused_with_the_rule() {
        assertThatThrownBy(() -> HealthThresholds.DEFAULTS.lagEvents(10, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need 1 <= degraded <= unhealthy for lag events");
        assertThatThrownBy(() -> HealthThresholds.DEFAULTS.lag(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .hasMessageContaining("degradedLag <= unhealthyLag");
        assertThatThrownBy(() -> HealthThresholds.DEFAULTS.errorRate(Duration.ofMillis(10), 1, 0.1, 0.2))
                .hasMessageContaining("errorWindow must be between 1 s and 1 day");
        assertThatThrownBy(() -> HealthThresholds.DEFAULTS.errorRate(Duration.ofMinutes(1), 1, 0.6, 0.2))
                .hasMessageContaining("degradedErrorRate <= unhealthyErrorRate");
    }
}
