package dev.eventsource.postgresql.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The coalescing rule of the after-commit notifier, with a sender the test controls (no database). */
class CommitNotifierTest {

    @Test
    void appends_recorded_while_a_notification_is_being_sent_get_exactly_one_more_notification() throws Exception {
        Semaphore entered = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        CommitNotifier notifier = new CommitNotifier("test", () -> {
            boolean first = calls.incrementAndGet() == 1;
            entered.release();
            if (first) {
                // Only the first send waits: close() interrupts the thread, which must not fail the second.
                release.await();
            }
        });
        notifier.appended();
        assertThat(entered.tryAcquire(60, TimeUnit.SECONDS)).as("the first send started").isTrue();
        for (int i = 0; i < 100; i++) {
            notifier.appended();
        }
        release.countDown();
        assertThat(entered.tryAcquire(60, TimeUnit.SECONDS)).as("a second send started for the appends made meanwhile").isTrue();
        notifier.close();
        notifier.join(60_000);

        assertThat(calls.get()).isEqualTo(2);
        assertThat(notifier.sent()).isEqualTo(2);
    }

    @Test
    void the_first_append_is_sent_at_once_and_appends_within_the_interval_wait_for_it_to_pass() throws Exception {
        Semaphore entered = new Semaphore(0);
        AtomicInteger calls = new AtomicInteger();
        CommitNotifier notifier = new CommitNotifier("test", () -> {
            calls.incrementAndGet();
            entered.release();
        }, Duration.ofHours(1));
        notifier.appended();
        assertThat(entered.tryAcquire(60, TimeUnit.SECONDS)).as("the first append is sent without waiting for the interval").isTrue();
        for (int i = 0; i < 100; i++) {
            notifier.appended();
        }
        // The next send is owed but may start only an hour after the first: closing now ends the wait unsent.
        notifier.close();
        notifier.join(60_000);

        assertThat(calls.get()).isEqualTo(1);
        assertThat(notifier.sent()).isEqualTo(1);
    }

    @Test
    void an_append_after_the_rest_wakes_the_idle_thread_and_is_sent_at_once() throws Exception {
        Semaphore entered = new Semaphore(0);
        CommitNotifier notifier = new CommitNotifier("test", entered::release, Duration.ofMillis(50));
        notifier.appended();
        assertThat(entered.tryAcquire(60, TimeUnit.SECONDS)).as("the first send started").isTrue();
        // Well past the interval: the thread has rested and waits for an append, which must wake it.
        Thread.sleep(500);
        notifier.appended();
        assertThat(entered.tryAcquire(60, TimeUnit.SECONDS)).as("the append woke the idle thread").isTrue();
        notifier.close();
        notifier.join(60_000);

        assertThat(notifier.sent()).isEqualTo(2);
    }

    @Test
    void refuses_a_negative_interval() {
        assertThatThrownBy(() -> new CommitNotifier("test", () -> { }, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minInterval");
    }

    @Test
    void a_failing_send_is_counted_and_the_next_append_is_still_notified() throws Exception {
        Semaphore entered = new Semaphore(0);
        AtomicInteger calls = new AtomicInteger();
        CommitNotifier notifier = new CommitNotifier("test", () -> {
            int call = calls.incrementAndGet();
            entered.release();
            if (call == 1) {
                throw new java.sql.SQLException("connection refused", "08001");
            }
        });
        notifier.appended();
        assertThat(entered.tryAcquire(60, TimeUnit.SECONDS)).isTrue();
        notifier.appended();
        assertThat(entered.tryAcquire(60, TimeUnit.SECONDS)).as("the sender keeps running after a failure").isTrue();
        notifier.close();
        notifier.join(60_000);

        assertThat(notifier.failed()).isEqualTo(1);
        assertThat(notifier.sent()).isEqualTo(1);
    }

    @Test
    void after_close_appends_start_no_thread_and_send_nothing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CommitNotifier notifier = new CommitNotifier("test", calls::incrementAndGet);
        notifier.close();
        notifier.appended();
        notifier.join(60_000);

        assertThat(calls.get()).isZero();
        assertThat(notifier.sent()).isZero();
    }
}
