package dev.eventsource.subscription;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Handled events and failed attempts over a sliding window, in one-second buckets, for the error
 * rate of a subscription's health. Thread-safe; times are epoch milliseconds of the subscription's clock.
 */
final class AttemptWindow {

    private final ReentrantLock lock = new ReentrantLock();
    private final long[] second;
    private final long[] ok;
    private final long[] failed;

    AttemptWindow(Duration window) {
        int n = (int) Math.max(1, Math.min(86_400, (window.toMillis() + 999) / 1000));
        second = new long[n];
        ok = new long[n];
        failed = new long[n];
        java.util.Arrays.fill(second, Long.MIN_VALUE);
    }

    void record(long nowMillis, boolean success, long count) {
        long s = Math.floorDiv(nowMillis, 1000);
        int i = (int) Math.floorMod(s, (long) second.length);
        lock.lock();
        try {
            if (second[i] != s) {
                second[i] = s;
                ok[i] = 0;
                failed[i] = 0;
            }
            if (success) {
                ok[i] += count;
            } else {
                failed[i] += count;
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code {handled, failed}} within the window ending at {@code nowMillis}. */
    long[] counts(long nowMillis) {
        long now = Math.floorDiv(nowMillis, 1000);
        long good = 0;
        long bad = 0;
        lock.lock();
        try {
            for (int i = 0; i < second.length; i++) {
                if (second[i] > now - second.length && second[i] <= now) {
                    good += ok[i];
                    bad += failed[i];
                }
            }
        } finally {
            lock.unlock();
        }
        return new long[] {good, bad};
    }
}
