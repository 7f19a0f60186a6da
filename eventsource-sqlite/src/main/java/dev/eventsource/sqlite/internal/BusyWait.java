package dev.eventsource.sqlite.internal;

import org.sqlite.BusyHandler;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the writer connection waits for a lock another connection or process holds, in place of
 * SQLite's {@code busy_timeout}: it sleeps in Java, so the wait can end at a deadline the caller
 * chose (an append counts the time it spent queued) and, when asked, as soon as the waiting thread
 * is interrupted. When it gives up, the statement fails with {@code SQLITE_BUSY}, which
 * {@link SQLiteErrors} reports as a busy store; the waiting thread's interrupt flag is never
 * cleared.
 *
 * <p>Used only by the thread holding the writer's lock, so its settings need no synchronization
 * beyond that lock.
 */
public final class BusyWait extends BusyHandler {

    /** Roughly SQLite's own back-off, in milliseconds. */
    private static final int[] DELAYS = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};

    private final long timeoutNanos;
    private Connection installedOn;
    private long deadline;
    private boolean bounded;
    private boolean interruptible;
    private long statementDeadline;

    /** Waits of {@code busyTimeout} per statement until {@link #until} says otherwise. */
    public BusyWait(Duration busyTimeout) {
        this.timeoutNanos = busyTimeout.toNanos();
    }

    /** Makes this the busy handler of {@code writer}; idempotent. */
    public void installOn(Connection writer) throws SQLException {
        if (installedOn != writer) {
            BusyHandler.setHandler(writer, this);
            installedOn = writer;
        }
    }

    /**
     * Until {@link #reset()}, waits end at {@code deadline} ({@link System#nanoTime()} time) instead
     * of the busy timeout after each statement began waiting, and, if {@code interruptible}, as
     * soon as the waiting thread is interrupted.
     */
    public void until(long deadline, boolean interruptible) {
        this.deadline = deadline;
        this.bounded = true;
        this.interruptible = interruptible;
    }

    /** Back to waiting up to the busy timeout per statement, ignoring interrupts. */
    public void reset() {
        bounded = false;
        interruptible = false;
    }

    @Override
    protected int callback(int previousCalls) {
        long now = System.nanoTime();
        if (previousCalls == 0) {
            statementDeadline = now + timeoutNanos;
        }
        long end = bounded ? deadline : statementDeadline;
        if (interruptible && Thread.currentThread().isInterrupted()) {
            return 0;
        }
        long remaining = end - now;
        if (remaining <= 0) {
            return 0;
        }
        long delay = Math.min(TimeUnit.MILLISECONDS.toNanos(DELAYS[Math.min(previousCalls, DELAYS.length - 1)]), remaining);
        // Sleep with the flag cleared, and set it again afterwards: an interrupt is never swallowed.
        boolean interrupted = Thread.interrupted();
        try {
            TimeUnit.NANOSECONDS.sleep(delay);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return interruptible && interrupted ? 0 : 1;
    }
}
