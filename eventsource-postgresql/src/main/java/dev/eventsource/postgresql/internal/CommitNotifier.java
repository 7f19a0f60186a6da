package dev.eventsource.postgresql.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the store's {@code NOTIFY} for appends that have committed, from one background thread,
 * outside the writing transactions: {@link #appended()} only records that a wake-up is owed, and
 * the thread sends one notification for however many appends were recorded since it last sent.
 *
 * <p>Why not in the writing transaction (a trigger did that up to schema version 4): PostgreSQL
 * takes a database-wide lock for the notification queue at the commit of every transaction that
 * notifies and holds it until that commit is flushed, so notifying writers commit one after the
 * other and concurrent writers stop scaling (see {@code docs/benchmark-history.md}).
 *
 * <p>What a reader can rely on: every append recorded here is followed by a notification sent
 * <em>after</em> it was recorded (the pending mark is cleared before a send, never after), and the
 * append committed before it was recorded, so a listener woken by that notification reads a log
 * that holds the append. A notification can still be lost (the process dies between commit and
 * send, the database or the pool refuses the send): that only delays other processes' subscribers
 * until their next poll, because a wake-up never decides what is read; the readable position does.
 *
 * <p><b>Coalescing.</b> Sends start at least {@code minInterval} apart: under constant appends a
 * send per commit would be a transaction of its own per commit, competing with the appends for the
 * server's CPU and the pool's connections, while a wake-up only needs to be prompt. The first append
 * after a quiet spell is sent at once; appends that come within the interval of the previous send
 * wait for the rest of it (at most {@code minInterval}) and share one notification.
 *
 * <p><b>Few wake-ups.</b> After each send the thread rests out the interval and then looks whether
 * appends were recorded meanwhile. Only an idle thread (nothing recorded when it last looked) is
 * woken by {@link #appended()}, so under constant appends the writers never wake it and it wakes
 * once per send, not twice.
 *
 * <p>Thread-safe. The thread starts at the first {@link #appended()} and ends at {@link #close()}.
 */
public final class CommitNotifier implements AutoCloseable {

    /** Sends one notification; failures are the sender's to swallow or throw (a throw is counted). */
    @FunctionalInterface
    public interface Sender {
        void send() throws Exception;
    }

    /**
     * The interval a store uses unless built with another: a wake-up at most 10 ms late, at most 100
     * notifications a second. Each is a transaction of its own on the database (with a transaction id
     * and a commit record) and a round trip from the store's process: about 0.15 ms of CPU between the
     * two on the 2-vCPU benchmark host.
     */
    public static final java.time.Duration DEFAULT_MIN_INTERVAL = java.time.Duration.ofMillis(10);

    private final String name;
    private final Sender sender;
    private final long minIntervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition owed = lock.newCondition();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private boolean pending;
    private boolean closed;
    /** Whether the thread waits for an append (rather than sending or resting): only then does {@link #appended()} wake it. */
    private boolean idle;
    private Thread thread;

    /**
     * A notifier whose sends start at least {@link #DEFAULT_MIN_INTERVAL} apart.
     *
     * @param name   names the thread ({@code eventsource-notify-<name>})
     * @param sender sends one {@code NOTIFY} on a connection of its own, in a transaction of its own
     */
    public CommitNotifier(String name, Sender sender) {
        this(name, sender, DEFAULT_MIN_INTERVAL);
    }

    /**
     * @param name        names the thread ({@code eventsource-notify-<name>})
     * @param sender      sends one {@code NOTIFY} on a connection of its own, in a transaction of its own
     * @param minInterval the least time between the starts of two sends; zero sends as soon as the previous one ended
     * @throws IllegalArgumentException if {@code minInterval} is negative
     */
    public CommitNotifier(String name, Sender sender, java.time.Duration minInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.sender = Objects.requireNonNull(sender, "sender");
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("minInterval must be zero or positive; got " + minInterval);
        }
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** Records that an append has committed; returns at once (never waits for the database). */
    public void appended() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            boolean wasPending = pending;
            pending = true;
            if (thread == null) {
                Thread t = new Thread(this::run, "eventsource-notify-" + name);
                t.setDaemon(true);
                thread = t;
                t.start();
            } else if (!wasPending && idle) {
                // Not idle: the thread is sending or resting, and looks at pending when it has done so.
                owed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Notifications sent so far (one per burst of appends, not one per append). */
    public long sent() {
        return sent.get();
    }

    /** Sends that failed so far (each cost other processes' subscribers at most a poll interval). */
    public long failed() {
        return failed.get();
    }

    /** Stops the thread; appends recorded but not yet sent are not sent (subscribers' polls find them). */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            owed.signal();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    /** Waits up to {@code millis} for the thread to end after {@link #close()}; for tests. */
    void join(long millis) throws InterruptedException {
        Thread t;
        lock.lock();
        try {
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.join(millis);
        }
    }

    private void run() {
        while (true) {
            lock.lock();
            try {
                idle = true;
                while (!pending && !closed) {
                    owed.awaitUninterruptibly();
                }
                idle = false;
                if (closed) {
                    return;
                }
                // Cleared before the send: an append recorded from now on gets a send that starts after it.
                pending = false;
            } finally {
                lock.unlock();
            }
            long started = System.nanoTime();
            try {
                sender.send();
                sent.incrementAndGet();
            } catch (Exception | LinkageError e) {
                // Other processes' subscribers find the append at their next poll; nothing is lost.
                failed.incrementAndGet();
            }
            // Only close() interrupts (to cut a wait for a connection short); the loop then sees closed and ends.
            Thread.interrupted();
            rest(started);
        }
    }

    /** Waits until {@code minInterval} has passed since {@code started}, or until {@link #close()}. */
    private void rest(long started) {
        lock.lock();
        try {
            long wait = started + minIntervalNanos - System.nanoTime();
            while (wait > 0 && !closed) {
                try {
                    wait = owed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    // Only close() interrupts; the loop sees closed.
                    wait = started + minIntervalNanos - System.nanoTime();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
