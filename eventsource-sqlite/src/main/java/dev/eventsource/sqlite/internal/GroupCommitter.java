package dev.eventsource.sqlite.internal;

import dev.eventsource.EventSourceException;
import dev.eventsource.store.AppendOutcomeUnknownException;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.EventStoreInterruptedException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.spi.AppendRules;
import dev.eventsource.store.spi.ExistingEvent;
import dev.eventsource.store.spi.OwnerCheck;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Commits concurrent appends together: group commit with a leader and followers, no background
 * thread.
 *
 * <p>Each append is queued; if no group is being written its thread becomes the leader, drains
 * the whole queue and writes it in one {@code BEGIN IMMEDIATE ... COMMIT}, so one fsync covers
 * every append that arrived while the previous transaction was committing. The other threads wait
 * until their append is done (by whichever leader took it) and return its outcome, or until the
 * leader finishes and one of them leads the next group. Inside the transaction each append runs
 * in its own savepoint and is decided by {@link AppendRules} against the state left by the appends
 * before it, so it succeeds or fails on its own. If the transaction cannot begin or commit, every
 * append in it fails and nothing of it is stored.
 *
 * <p>Waits for the database are bounded from the moment an append is queued: a leader waits for
 * the database's write lock only until the earliest deadline in its group; then
 * the appends whose busy timeout has run out fail with {@link EventStoreBusyException} and the
 * others go back to the head of the queue. An interrupted thread leaves at once: with
 * {@link EventStoreInterruptedException} while its append has not begun to be written (it never
 * will be), with {@link AppendOutcomeUnknownException} once its group's transaction has begun.
 */
public final class GroupCommitter {

    /** Waiting for a leader to write it; may still be cancelled by its thread. */
    private static final int QUEUED = 0;
    /** A leader's transaction has begun and will write it or fail it. */
    private static final int WRITING = 1;
    /** Its thread has left; no leader may write it. */
    private static final int CANCELLED = 2;

    private static final class Request {
        final StreamId stream;
        final List<SerializedEvent> events;
        final ExpectedVersion expected;
        final OwnerCheck owner;
        /** {@link System#nanoTime()} by which the append must have the write lock. */
        final long deadline;
        final AtomicInteger phase = new AtomicInteger(QUEUED);
        AppendResult result;
        RuntimeException failure;
        boolean done;

        Request(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected, OwnerCheck owner, long deadline) {
            this.stream = stream;
            this.events = events;
            this.expected = expected;
            this.owner = owner;
            this.deadline = deadline;
        }

        List<UUID> eventIds() {
            return events.stream().map(SerializedEvent::eventId).toList();
        }
    }

    private final Connections connections;
    private final SQLiteErrors errors;
    private final BusyWait busyWait;
    private final long busyTimeoutNanos;
    private final Supplier<Instant> clock;
    private final ConcurrentLinkedDeque<Request> queue = new ConcurrentLinkedDeque<>();
    /** Guards {@link #leading} and every request's {@code done}; held only for bookkeeping, never during I/O. */
    private final ReentrantLock state = new ReentrantLock();
    private final Condition groupDone = state.newCondition();
    private boolean leading;
    private volatile java.util.function.IntConsumer onCommit = appends -> { };
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong appends = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    /** Rows inserted by the current leader so far; only touched under the write lock. */
    private long eventsWritten;
    private Statement control;
    private PreparedStatement insert;
    private PreparedStatement streamVersion;
    private PreparedStatement streamHead;
    private final EventQueries queries;
    private PreparedStatement findEvent;
    private PreparedStatement lastPosition;

    /**
     * @param busyWait    the busy handler of the writer connection
     * @param busyTimeout how long an append may wait for the write lock, counted from when it is queued
     */
    public GroupCommitter(Connections connections, SQLiteErrors errors, BusyWait busyWait, Duration busyTimeout,
                          Supplier<Instant> clock, EventQueries queries) {
        this.queries = queries;
        this.connections = connections;
        this.errors = errors;
        this.busyWait = busyWait;
        this.busyTimeoutNanos = busyTimeout.toNanos();
        this.clock = clock;
    }

    /**
     * Called by the leader after each transaction that wrote events, with the number of appends it
     * committed (for a group-commit size metric); must be quick and must not throw.
     */
    public void onCommit(java.util.function.IntConsumer listener) {
        this.onCommit = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Transactions committed so far that wrote events. */
    public long commits() {
        return commits.get();
    }

    /** Successful appends in those transactions. */
    public long appends() {
        return appends.get();
    }

    /** Events written by those transactions. */
    public long events() {
        return events.get();
    }

    /** Appends queued and not yet taken by a leader. */
    public int queued() {
        return queue.size();
    }

    /**
     * Appends under {@link AppendRules}, possibly in one transaction with other threads' appends.
     *
     * @throws OptimisticLockException        if the expected version does not hold
     * @throws EventStoreBusyException        if the write lock was not had within the busy timeout of
     *                                        queueing; nothing was written
     * @throws EventStoreInterruptedException if the thread is or gets interrupted before its append
     *                                        began to be written; nothing was written, the flag stays set
     * @throws AppendOutcomeUnknownException  if the thread got interrupted while its append's
     *                                        transaction was running; the flag stays set
     * @throws EventSourceException           translated from the driver; nothing of this append is stored
     */
    public AppendResult append(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected) {
        return append(stream, events, expected, OwnerCheck.NONE);
    }

    /**
     * Appends as {@link #append(StreamId, List, ExpectedVersion)} if {@code owner} allows the
     * stream, checked inside the write transaction where the stream's head is read anyway.
     *
     * @throws RuntimeException {@code owner}'s refusal, nothing of this append written, for a
     *                          stream of another tenant or of none; or as the other method
     */
    public AppendResult append(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected, OwnerCheck owner) {
        Request request = new Request(stream, events, expected, owner, System.nanoTime() + busyTimeoutNanos);
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(request, null);
        }
        queue.add(request);
        while (true) {
            state.lock();
            try {
                // Waiting here, not on the write lock, lets a finished follower return while the next group commits.
                while (!request.done && leading) {
                    try {
                        groupDone.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return leave(request, e);
                    }
                }
                if (request.done) {
                    return outcome(request);
                }
                leading = true;
            } finally {
                state.unlock();
            }
            lead(request);
        }
    }

    /** For a follower interrupted while waiting; called under {@link #state}. */
    private AppendResult leave(Request request, InterruptedException e) {
        if (request.done) {
            return outcome(request);
        }
        if (request.phase.compareAndSet(QUEUED, CANCELLED)) {
            // A leader may hold it in its group already; it skips cancelled requests.
            queue.remove(request);
            throw interrupted(request, e);
        }
        throw new AppendOutcomeUnknownException(request.stream.aggregateType(), request.stream.aggregateId(),
                request.eventIds(), "the thread was interrupted while the transaction writing it was running", e);
    }

    private static AppendResult outcome(Request request) {
        if (request.failure != null) {
            throw request.failure;
        }
        return request.result;
    }

    private EventStoreInterruptedException interrupted(Request request, InterruptedException cause) {
        return new EventStoreInterruptedException("Append to " + request.stream + " was interrupted before it was"
                + " written; nothing was written. The thread's interrupt flag is set.", cause);
    }

    /** Writes one group as its leader, then hands leadership on; {@code own} is the leader's request. */
    private void lead(Request own) {
        List<Request> group = new ArrayList<>();
        List<Request> requeued = List.of();
        try {
            for (Request r; (r = queue.poll()) != null; ) {
                if (r.phase.get() != CANCELLED) {
                    group.add(r);
                }
            }
            long deadline = group.stream().mapToLong(r -> r.deadline).min().orElse(own.deadline);
            ReentrantLock lock = connections.writeLock();
            try {
                // Other holders (snapshots, checkpoints, imports, close) bound their own waits for the database.
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requeued = giveUp(group, own, null, "waiting for this process's other writes");
                return;
            }
            try {
                requeued = writeGroup(group, own, deadline);
            } finally {
                busyWait.reset();
                lock.unlock();
            }
        } finally {
            state.lock();
            try {
                for (Request r : group) {
                    if (requeued.contains(r)) {
                        continue;
                    }
                    if (r.result == null && r.failure == null) {
                        r.failure = new AppendOutcomeUnknownException(r.stream.aggregateType(), r.stream.aggregateId(),
                                r.eventIds(), "the writer of its group failed unexpectedly", null);
                    }
                    r.done = true;
                }
                leading = false;
                groupDone.signalAll();
            } finally {
                state.unlock();
            }
        }
    }

    /**
     * The write lock was not had by the group's earliest deadline, or the leader was interrupted: fails
     * the leader's own request if it was interrupted and every request whose time ran out, and puts
     * the others back at the head of the queue in their order. Nothing of the group was written.
     */
    private List<Request> giveUp(List<Request> group, Request own, SQLException cause, String action) {
        boolean interrupted = Thread.currentThread().isInterrupted();
        long now = System.nanoTime();
        List<Request> back = new ArrayList<>();
        boolean failed = false;
        boolean dropped = false;
        for (Request r : group) {
            if (r.phase.get() == CANCELLED) {
                dropped = true;
                continue;
            }
            if (r == own && interrupted) {
                r.failure = interrupted(r, null);
                failed = true;
            } else if (now - r.deadline >= 0) {
                r.failure = errors.busy(action + " to append to " + r.stream, cause);
                failed = true;
            } else {
                back.add(r);
            }
        }
        if (!failed && !dropped) {
            // SQLite gave up before any deadline (it skips its busy handler in some cases); trying again would spin.
            for (Request r : back) {
                r.failure = errors.busy(action + " to append to " + r.stream, cause);
            }
            return List.of();
        }
        for (int i = back.size() - 1; i >= 0; i--) {
            queue.addFirst(back.get(i));
        }
        return back;
    }

    /** Writes the group under the write lock; returns the requests put back in the queue. */
    private List<Request> writeGroup(List<Request> group, Request own, long deadline) {
        try {
            Connection connection = connections.writer();
            prepare(connection);
            busyWait.installOn(connection);
            busyWait.until(deadline, true);
            try {
                control.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                if (SQLiteErrors.primaryCode(e) == 5 || SQLiteErrors.primaryCode(e) == 6) {
                    return giveUp(group, own, e, "waiting for the database's write lock");
                }
                failAll(group, e, "starting a write transaction");
                return List.of();
            }
            // From here the group is committed or rolled back as a whole; its callers wait for the outcome.
            busyWait.until(group.stream().mapToLong(r -> r.deadline).max().orElse(deadline), false);
            int succeeded = 0;
            long written = 0;
            for (Request request : group) {
                if (!request.phase.compareAndSet(QUEUED, WRITING)) {
                    continue;
                }
                try {
                    long before = eventsWritten;
                    request.result = appendInSavepoint(request);
                    succeeded++;
                    written += eventsWritten - before;
                } catch (SQLException e) {
                    // Errors such as SQLITE_FULL or SQLITE_IOERR may have ended the transaction: abandon the group.
                    Schema.rollbackQuietly(control, e);
                    failAll(group, e, "appending to " + request.stream);
                    return List.of();
                } catch (RuntimeException e) {
                    request.failure = e;
                }
            }
            try {
                // A group that only lost conflicts or replayed retries has nothing to make durable.
                control.execute(written == 0 ? "ROLLBACK" : "COMMIT");
            } catch (SQLException e) {
                Schema.rollbackQuietly(control, e);
                failAll(group, e, "committing appends");
                return List.of();
            }
            if (written > 0) {
                commits.incrementAndGet();
                appends.addAndGet(succeeded);
                events.addAndGet(written);
                try {
                    onCommit.accept(succeeded);
                } catch (RuntimeException ignored) {
                    // A metric must never fail appends that are committed.
                }
            }
        } catch (SQLException e) {
            failAll(group, e, "preparing statements");
        } catch (RuntimeException e) {
            for (Request request : group) {
                request.failure = e;
                request.result = null;
            }
        }
        return List.of();
    }

    private AppendResult appendInSavepoint(Request request) throws SQLException {
        control.execute("SAVEPOINT append");
        try {
            AppendResult result = decideAndWrite(request);
            control.execute("RELEASE append");
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                control.execute("ROLLBACK TO append");
                control.execute("RELEASE append");
            } catch (SQLException rollback) {
                // The transaction is in an unknown state: the whole group must be abandoned.
                if (e instanceof SQLException original) {
                    original.addSuppressed(rollback);
                    throw original;
                }
                rollback.addSuppressed(e);
                throw rollback;
            }
            throw e;
        }
    }

    private AppendResult decideAndWrite(Request r) throws SQLException {
        long current = currentVersion(r);
        AppendRules.Decision decision;
        try {
            // Almost every append carries fresh ids; the UNIQUE index on event_id tells us when one is not.
            decision = AppendRules.decide(r.stream, r.expected, current, r.events, Map.of());
        } catch (OptimisticLockException conflict) {
            // It may still be a retry of an append that was stored; only the stored ids can tell.
            decision = AppendRules.decide(r.stream, r.expected, current, r.events, existing(r.events));
        }
        try {
            return write(r.stream, decision);
        } catch (SQLException e) {
            if (!SQLiteErrors.isUniqueViolation(e)) {
                throw e;
            }
            control.execute("ROLLBACK TO append");
        }
        current = currentVersion(r);
        decision = AppendRules.decide(r.stream, r.expected, current, r.events, existing(r.events));
        try {
            return write(r.stream, decision);
        } catch (SQLException e) {
            throw errors.translateAppend(e, r.stream, r.expected, current);
        }
    }

    private AppendResult write(StreamId stream, AppendRules.Decision decision) throws SQLException {
        if (decision instanceof AppendRules.Retry retry) {
            return retry.result();
        }
        AppendRules.Write write = (AppendRules.Write) decision;
        return write.events().isEmpty() ? write.result(0) : write.result(insert(stream, write));
    }

    private long insert(StreamId stream, AppendRules.Write write) throws SQLException {
        long recordedAt = EventQueries.micros(clock.get());
        long version = write.firstVersion();
        for (SerializedEvent event : write.events()) {
            EventQueries.bindInsert(insert, stream, event, version++, recordedAt);
            insert.addBatch();
        }
        try {
            insert.executeBatch();
        } finally {
            insert.clearBatch();
        }
        eventsWritten += write.events().size();
        try (ResultSet rs = lastPosition.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The stream's version, after checking its owner when the append is owner-checked (one query either way). */
    private long currentVersion(Request r) throws SQLException {
        if (r.owner.isNone()) {
            return streamVersion(r.stream);
        }
        EventQueries.bindStream(streamHead, 1, r.stream);
        try (ResultSet rs = streamHead.executeQuery()) {
            return r.owner.require(rs.next() ? new StreamHead(rs.getLong(1), rs.getString(2)) : StreamHead.NONE);
        }
    }

    private long streamVersion(StreamId stream) throws SQLException {
        EventQueries.bindStream(streamVersion, 1, stream);
        try (ResultSet rs = streamVersion.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<UUID, ExistingEvent> existing(List<SerializedEvent> events) throws SQLException {
        Map<UUID, ExistingEvent> found = new HashMap<>();
        for (SerializedEvent event : events) {
            findEvent.setBytes(1, EventQueries.bytes(event.eventId()));
            try (ResultSet rs = findEvent.executeQuery()) {
                if (rs.next()) {
                    RecordedEvent row = EventQueries.row(rs);
                    found.put(row.eventId(), new ExistingEvent(row.eventId(), row.stream(), row.version(),
                            row.globalPosition()));
                }
            }
        }
        return found;
    }

    private void prepare(Connection connection) throws SQLException {
        if (control == null || control.getConnection() != connection) {
            control = connection.createStatement();
            insert = connection.prepareStatement(queries.insert);
            streamVersion = connection.prepareStatement(queries.streamVersion);
            streamHead = connection.prepareStatement(queries.streamHead);
            findEvent = connection.prepareStatement(queries.findEvent);
            lastPosition = connection.prepareStatement(EventQueries.LAST_POSITION);
        }
    }

    private void failAll(List<Request> group, SQLException e, String action) {
        for (Request request : group) {
            // Each caller gets its own exception: they are thrown on different threads.
            request.failure = errors.translate(e, action);
            request.result = null;
        }
    }
}
