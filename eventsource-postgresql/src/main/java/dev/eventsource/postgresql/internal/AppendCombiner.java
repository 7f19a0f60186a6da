package dev.eventsource.postgresql.internal;

import dev.eventsource.store.AppendResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Combines the fast paths of one-event appends made at the same time by different threads into one
 * statement, so that concurrent writers share a statement's fixed cost (a round trip, the
 * executor's start, a commit and its WAL flush) instead of each paying it.
 *
 * <p>Every append joins a queue. At most {@code maxLeaders} threads at a time lead: a leader takes
 * the queue's oldest appends (at most {@code maxBatch}, no two of one stream lock and no two with
 * one event id) and runs them on its own connection; the others wait. While a statement is in
 * flight, another starts only when at least two appends wait. So a lone writer runs its append at
 * once, alone, and combining only happens while statements are already in flight.
 *
 * <p>The combined statement decides each append on its own, exactly as the one-event fast path
 * would: an append it does not insert (its stream's lock was held, its expectation or owner did not
 * hold, its id exists) is handed back to its own thread for the careful path, as is every append of
 * a statement that failed. The careful path finds an append that was committed after all by its
 * event id, so handing one back is always safe.
 */
final class AppendCombiner {

    /** One append waiting to be run, and what became of it. */
    static final class Request {
        final long lockKey;
        final UUID eventId;
        final Object append;
        final Thread thread = Thread.currentThread();
        /** The result; {@code null} when the careful path must decide. Set before {@link #finished}. */
        private AppendResult result;
        private volatile boolean finished;

        Request(long lockKey, UUID eventId, Object append) {
            this.lockKey = lockKey;
            this.eventId = eventId;
            this.append = append;
        }

        /** Records the outcome of this append: its result, or {@code null} to leave it to the careful path. */
        void finish(AppendResult result) {
            this.result = result;
            this.finished = true;
        }

        boolean finished() {
            return finished;
        }
    }

    /** Runs a batch on a connection and {@linkplain Request#finish finishes} the requests it inserted. */
    @FunctionalInterface
    interface Batch {
        void run(Connection c, List<Request> requests) throws SQLException;
    }

    private final int maxLeaders;
    private final int maxBatch;
    private final Batch batch;
    /** Guarded by {@code this}, as is {@link #leaders}. */
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private int leaders;

    AppendCombiner(int maxLeaders, int maxBatch, Batch batch) {
        if (maxLeaders < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("maxLeaders and maxBatch must be at least 1");
        }
        this.maxLeaders = maxLeaders;
        this.maxBatch = maxBatch;
        this.batch = batch;
    }

    /**
     * Runs {@code request} alone or with others and returns its result; {@code null} when the
     * careful path must decide it. Throws what the statement that carried it threw when this thread
     * ran that statement (the connection is this thread's); requests of other threads in it are
     * handed back to them instead.
     */
    AppendResult append(Connection c, Request request) throws SQLException {
        synchronized (this) {
            queue.addLast(request);
        }
        boolean interrupted = false;
        try {
            while (!request.finished()) {
                List<Request> taken = take(request);
                if (taken == null) {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                    continue;
                }
                lead(c, taken, request);
            }
            return request.result;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many requests wait in the queue (for tests). */
    synchronized int waiting() {
        return queue.size();
    }

    /**
     * Up to {@link #maxBatch} of the oldest requests, if a leader's place is free, the caller's
     * request still waits, and no statement is in flight or at least two requests wait.
     */
    private synchronized List<Request> take(Request own) {
        // While a statement is in flight, another starts only for two appends or more: one alone would pay
        // a statement's whole cost for one append, when it can go with the next ones a moment later.
        if (own.finished() || leaders >= maxLeaders || queue.isEmpty() || (leaders > 0 && queue.size() < 2)) {
            return null;
        }
        leaders++;
        List<Request> taken = new ArrayList<>(Math.min(maxBatch, queue.size()));
        Set<Long> locks = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        for (Iterator<Request> i = queue.iterator(); i.hasNext() && taken.size() < maxBatch; ) {
            Request r = i.next();
            // One statement per stream lock: two appends under one lock in one transaction would both see it free.
            if (locks.add(r.lockKey) && ids.add(r.eventId)) {
                taken.add(r);
                i.remove();
            }
        }
        return taken;
    }

    private void lead(Connection c, List<Request> taken, Request own) throws SQLException {
        Throwable failure = null;
        try {
            batch.run(c, taken);
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
        }
        // A statement of one append fails as the one-event fast path does; a failed combined statement
        // may have failed for any of its appends, so every one of them, this thread's too, goes to the
        // careful path, which runs each alone on its own thread's connection.
        boolean rethrow = failure != null && taken.contains(own) && (taken.size() == 1 || !(failure instanceof SQLException));
        for (Request r : taken) {
            if (!r.finished() && !(rethrow && r == own)) {
                r.finish(null);
            }
        }
        List<Thread> wake = new ArrayList<>();
        synchronized (this) {
            leaders--;
            // A leader's place is free: every waiting thread looks whether it should take it.
            for (Request r : queue) {
                wake.add(r.thread);
            }
        }
        for (Request r : taken) {
            if (r != own) {
                LockSupport.unpark(r.thread);
            }
        }
        wake.forEach(LockSupport::unpark);
        if (rethrow) {
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        }
    }
}
