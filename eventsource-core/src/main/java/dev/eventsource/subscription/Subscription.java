package dev.eventsource.subscription;

import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.store.EventLookup;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.telemetry.LogContext;
import dev.eventsource.telemetry.SubscriptionObserver;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One running subscription of a {@link SubscriptionManager}: a thread that reads the global log
 * in batches after its position, handles each event, and saves checkpoints.
 *
 * <p><b>Catch-up and live are one loop.</b> Every batch is one page,
 * {@code readRecordedPage(fromPosition(position), types, limit(batchSize))}. A page at the end of
 * the log makes the subscription {@link SubscriptionState#LIVE}; it waits for a wake-up (an
 * append by this process, an {@link AppendNotifier}, or the poll interval) before it reads again
 * from where that page got to, which for a filtered subscription can be past its last event, so
 * that no poll reads the same unselected rows twice. No event can fall between catching up and going live because there is
 * no switch: the store's rule that a reader who has seen position p never later gets an event
 * below p makes the sequence gap-free and duplicate-free.
 *
 * <p><b>One loop for both kinds of handler.</b> How events reach the handler, and whether the
 * checkpoint is committed with them, is fixed when the manager registers the subscription: a
 * {@link Subscriber} gets each event and the checkpoint is saved per {@link CheckpointStrategy}; a
 * {@link TransactionalProjection} gets each batch (or, when the batch fails, each event) in the
 * transaction that writes its checkpoint. Retries, dead letters and positions work the same for both.
 *
 * <p><b>Events it cannot decode.</b> It reads stored rows and decodes each one itself, so a row
 * whose type this process has not registered, or whose JSON no longer fits its class, is
 * dead-lettered at once (decoding is not retried: it fails the same way until the code changes)
 * and the events around it are delivered; under {@link AfterDeadLetter#STOP} it stops in
 * {@link SubscriptionState#FAILED} before that row instead.
 *
 * <p>Obtained from {@link SubscriptionManager#subscribe}; thread-safe.
 */
public final class Subscription {

    /** What delivering one event came to; CHECKPOINTED is HANDLED with its checkpoint committed alongside. */
    private enum Outcome { HANDLED, CHECKPOINTED, DEAD_LETTERED, ABORTED }

    private static final System.Logger LOG = System.getLogger(Subscription.class.getName());

    private final String name;
    /** The name its checkpoint and lock are kept under; see {@link CheckpointNames}. */
    private volatile String checkpointName;
    private final EventLookup store;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final Delivery delivery;
    private final SubscriptionOptions options;
    private final ReadOptions filter;
    private final Duration pollInterval;
    private final Clock clock;
    private final LogEntry.Source log;
    private final ThreadFactory threads;
    private final HandlerCalls calls;
    private final HandlerFailureListener onError;
    private HealthThresholds thresholds = HealthThresholds.DEFAULTS;
    private AttemptWindow errors = new AttemptWindow(HealthThresholds.DEFAULTS.errorWindow());
    /** When the log read in progress started (clock millis), 0 when none is: for liveness. */
    private volatile long readingSince;
    /** Whether the loop ended on an unexpected error (not a stop, not a dead letter under STOP). */
    private volatile boolean crashed;

    /** Held while a batch is read and handled, and by rebuilds and dead-letter retries, which must not interleave. */
    private final ReentrantLock work = new ReentrantLock();
    private final ReentrantLock signal = new ReentrantLock();
    private final Condition wake = signal.newCondition();
    private boolean woken;

    private volatile boolean paused;
    private volatile boolean stopping;
    private volatile SubscriptionState state = SubscriptionState.CATCHING_UP;
    private volatile long position;
    /**
     * How far this run has read the log with every event it selects up to there handled (or passed
     * by a dead letter): at least {@link #position} once set, 0 until then. A filtered subscription
     * reads on from here, so it never reads the rows past its last event that it does not select
     * twice. Kept in memory only: a restart reads them once more from the checkpoint.
     */
    private volatile long scanned;
    private volatile long processed;
    private volatile long failed;
    private volatile String lastError;
    private volatile Thread thread;
    private volatile boolean positioned;
    /** Whether this run has read its dead letters (again after taking over the lock). */
    private boolean prepared;

    /** One instance per name across processes: set by the manager before {@link #start()}; null when not exclusive. */
    private ExclusiveLocks locks;
    private Duration lockPoll;
    private volatile ExclusiveLock lock;
    private volatile long lockLosses;

    /** Spans and metrics of batches (see {@code SubscriptionManager.Builder.observer}); set before {@link #start()}. */
    private SubscriptionObserver observer = SubscriptionObserver.NONE;
    private volatile long deadLettered;

    // Guarded by work.
    private long processedTotal;
    private StoredEvent lastHandled;
    private boolean dirty;
    private long lastSaveNanos = System.nanoTime();
    /** The unresolved dead letters of this subscription, by event id: handling such an event resolves its entry. */
    private final Map<UUID, Long> unresolved = new HashMap<>();

    Subscription(String name, EventLookup store, CheckpointStore checkpoints, DeadLetterStore deadLetters,
                 Delivery delivery, SubscriptionOptions options, Set<String> eventTypes, Set<String> aggregateTypes,
                 Duration pollInterval, Clock clock, LogEntry.Source log, ThreadFactory threads) {
        this.name = name;
        this.checkpointName = name;
        this.store = store;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.delivery = delivery;
        this.options = options;
        ReadOptions.Builder read = ReadOptions.builder().limit(options.batchSize()).pageSize(options.batchSize());
        if (!eventTypes.isEmpty()) {
            read.eventTypes(eventTypes.toArray(String[]::new));
        }
        if (!aggregateTypes.isEmpty()) {
            read.aggregateTypes(aggregateTypes.toArray(String[]::new));
        }
        options.tenant().ifPresent(t -> read.tenantId(t.value()));
        this.filter = read.build();
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.log = log;
        this.threads = threads;
        this.calls = new HandlerCalls(name, options.handlerTimeout().orElse(null), threads);
        this.onError = options.onError();
    }

    /**
     * Makes this subscription run in one instance at a time, under the lock
     * {@code subscription:<checkpoint name>} (its name, qualified by tenant as its checkpoint is).
     */
    Subscription exclusive(ExclusiveLocks locks, Duration lockPoll) {
        this.locks = locks;
        this.lockPoll = lockPoll;
        return this;
    }

    /** Sets the thresholds of {@link #health()}; before {@link #start()}. */
    Subscription thresholds(HealthThresholds thresholds) {
        this.thresholds = thresholds;
        this.errors = new AttemptWindow(thresholds.errorWindow());
        return this;
    }

    /**
     * Sets the name its checkpoint (and its exclusive lock) is kept under, which
     * {@link CheckpointNames} qualifies by tenant for a tenant-filtered subscription; before
     * {@link #start()}. Its own name unless set.
     */
    Subscription checkpointName(String checkpointName) {
        this.checkpointName = checkpointName;
        return this;
    }

    Subscription observed(SubscriptionObserver observer) {
        this.observer = observer;
        return this;
    }

    /** The name of the lock an exclusive subscription runs under. */
    static String lockName(String subscription) {
        return "subscription:" + subscription;
    }

    public String name() {
        return name;
    }

    /**
     * Whether this instance runs the subscription: always true when it is not exclusive; for an
     * exclusive one, whether it holds the subscription's lock.
     */
    public boolean isActive() {
        return locks == null ? state != SubscriptionState.STOPPED && state != SubscriptionState.FAILED : lock != null;
    }

    /**
     * Waits until this subscription has handled (or passed) every event stored when the call began
     * that it selects: for tests and start-up, instead of a polling loop.
     *
     * @return true when caught up; false if {@code timeout} passed first, or the subscription
     *         stopped or failed (see {@link #state()} and {@link #health()})
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        java.util.Objects.requireNonNull(timeout, "timeout");
        long target = store.globalPosition();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SubscriptionState now = state;
            if (now == SubscriptionState.FAILED || now == SubscriptionState.STOPPED) {
                return false;
            }
            if (readFrom() >= target || (now == SubscriptionState.LIVE && nothingSelectedBetween(readFrom(), target))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(2);
        }
    }

    /** Where the next read starts: past what was handled, and past what this run read without finding an event it selects. */
    private long readFrom() {
        return Math.max(position, scanned);
    }

    /** Whether no event this subscription selects lies after {@code from} up to {@code to}. */
    private boolean nothingSelectedBetween(long from, long to) {
        try (Stream<LogEntry> next = log.read(filter.toBuilder().fromPosition(from).limit(1).build())) {
            return next.findFirst().map(e -> e.globalPosition() > to).orElse(true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How often an exclusive subscription lost its lock while running it (0 when not exclusive). */
    public long lockLosses() {
        return lockLosses;
    }

    public SubscriptionState state() {
        return state;
    }

    /** The global position of the last event handled (or passed by a dead letter); 0 for none. */
    public long position() {
        return position;
    }

    public SubscriptionOptions options() {
        return options;
    }

    /**
     * Stops handling after the batch in progress, saving the checkpoint; the position is kept.
     * Returns at once; {@link #state()} turns {@link SubscriptionState#PAUSED} when the batch is done.
     */
    public void pause() {
        paused = true;
        wakeUp();
    }

    /** Resumes a paused subscription, or restarts a {@link SubscriptionState#FAILED} one from its last position. */
    public void resume() {
        paused = false;
        restartIfFailed();
        wakeUp();
    }

    /**
     * This subscription's state, position, lag and unresolved dead letters. Reads the store's head
     * position, the dead-letter count and, when behind, the stored time of the next event to handle;
     * it never decodes a payload, so an event this process cannot decode cannot make it fail.
     */
    public SubscriptionHealth health() {
        long pos = position;
        long head = store.globalPosition();
        long lagEvents = 0;
        Duration lagTime = Duration.ZERO;
        if (head > pos) {
            try (Stream<LogEntry> next = log.read(filter.toBuilder().fromPosition(Math.max(pos, scanned)).limit(1).build())) {
                Instant oldest = next.findFirst().map(LogEntry::recordedAt).orElse(null);
                // Without a next event it matches, a filtered subscription has nothing left, however far the head is.
                if (oldest != null) {
                    lagEvents = head - pos;
                    if (oldest.isBefore(clock.instant())) {
                        lagTime = Duration.between(oldest, clock.instant());
                    }
                }
            } catch (RuntimeException e) {
                // Only a store read through readAll decodes here; its next event failing to decode is what the
                // subscription reports as STALLED, and a health check must still answer.
                lagEvents = head - pos;
            }
        }
        SubscriptionState now = state;
        long queued = deadLetters.count(name);
        HealthThresholds t = thresholds;
        long[] window = errors.counts(clock.millis());
        long attempts = window[0] + window[1];
        double errorRate = attempts >= t.minAttempts() ? (double) window[1] / attempts : 0;
        HealthStatus status = HealthStatus.HEALTHY;
        List<String> reasons = new ArrayList<>();
        switch (now) {
            case FAILED -> {
                status = HealthStatus.UNHEALTHY;
                reasons.add(name + ": failed (" + lastError + "); resume() restarts it");
            }
            case STALLED -> {
                status = HealthStatus.UNHEALTHY;
                reasons.add(name + ": stalled, retrying a failing read or checkpoint (" + lastError + ")");
            }
            case STOPPED -> {
                status = HealthStatus.UNHEALTHY;
                reasons.add(name + ": stopped");
            }
            case PAUSED -> {
                status = HealthStatus.DEGRADED;
                reasons.add(name + ": paused");
            }
            default -> { }
        }
        if (now == SubscriptionState.STANDBY) {
            // Another instance runs it: its lag and errors are that instance's to report.
            reasons.add(name + ": standby, another instance holds the lock '" + lockName(checkpointName) + "'");
        } else {
            status = tier(status, reasons, "behind by " + lagEvents + " events", lagEvents, t.degradedLagEvents(),
                    t.unhealthyLagEvents());
            status = tierTime(status, reasons, lagTime, t);
            status = tier(status, reasons, String.format(java.util.Locale.ROOT, "error rate %.1f %% over the last %s"
                    + " (%d of %d attempts failed)", errorRate * 100, t.errorWindow(), window[1], attempts),
                    errorRate, t.degradedErrorRate(), t.unhealthyErrorRate());
            status = tier(status, reasons, queued + " unresolved dead letters", queued, t.degradedDeadLetters(),
                    t.unhealthyDeadLetters());
            String stuck = stuck();
            if (stuck != null) {
                status = HealthStatus.UNHEALTHY;
                reasons.add(stuck);
            }
        }
        long abandoned = calls.abandoned();
        if (abandoned > 0) {
            status = status.worst(HealthStatus.DEGRADED);
            reasons.add(name + ": " + abandoned + " handler calls ignored their interrupt after the handler timeout and"
                    + " were abandoned on their threads");
        }
        return new SubscriptionHealth(name, now, pos, head, lagEvents, lagTime, processed, failed, queued, lastError,
                status, reasons, errorRate, abandoned);
    }

    private HealthStatus tier(HealthStatus status, List<String> reasons, String what, double value, double degraded,
                              double unhealthy) {
        if (value > 0 && value >= unhealthy) {
            reasons.add(name + ": " + what + " (unhealthy from " + plain(unhealthy) + ")");
            return HealthStatus.UNHEALTHY;
        }
        if (value > 0 && value >= degraded) {
            reasons.add(name + ": " + what + " (degraded from " + plain(degraded) + ")");
            return status.worst(HealthStatus.DEGRADED);
        }
        return status;
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private HealthStatus tierTime(HealthStatus status, List<String> reasons, Duration lag, HealthThresholds t) {
        if (lag.isZero()) {
            return status;
        }
        if (lag.compareTo(t.unhealthyLag()) >= 0) {
            reasons.add(name + ": oldest unhandled event stored " + lag + " ago (unhealthy from " + t.unhealthyLag() + ")");
            return HealthStatus.UNHEALTHY;
        }
        if (lag.compareTo(t.degradedLag()) >= 0) {
            reasons.add(name + ": oldest unhandled event stored " + lag + " ago (degraded from " + t.degradedLag() + ")");
            return status.worst(HealthStatus.DEGRADED);
        }
        return status;
    }

    /** Why the loop looks stuck (a handler call or log read running past {@code stuckAfter}), or null. */
    private String stuck() {
        long now = clock.millis();
        Duration after = thresholds.stuckAfter();
        // HealthThresholds.NEVER does not fit in milliseconds.
        long limit = after.compareTo(Duration.ofDays(365_000)) >= 0 ? Long.MAX_VALUE : after.toMillis();
        long call = calls.startedAtMillis();
        if (call != 0 && now - call >= limit) {
            return name + ": stuck, one handler call has run for " + Duration.ofMillis(now - call)
                    + " (stuckAfter " + thresholds.stuckAfter() + "; SubscriptionOptions.handlerTimeout bounds it)";
        }
        long read = readingSince;
        if (read != 0 && now - read >= limit) {
            return name + ": stuck, one read of the log has run for " + Duration.ofMillis(now - read);
        }
        return null;
    }

    /**
     * Why this subscription's loop is not alive: it ended on an unexpected error, or is stuck in one
     * call; empty when it is alive (a STOPPED, PAUSED or STANDBY subscription is alive in this sense).
     */
    List<String> livenessProblems() {
        List<String> problems = new ArrayList<>();
        if (crashed) {
            problems.add(name + ": its loop ended on an unexpected error (" + lastError + ")");
        }
        String stuck = stuck();
        if (stuck != null) {
            problems.add(stuck);
        }
        return problems;
    }

    @Override
    public String toString() {
        return "Subscription[" + name + ", " + state + ", position " + position + "]";
    }

    void start() {
        stopping = false;
        crashed = false;
        state = SubscriptionState.CATCHING_UP;
        Thread t = threads.newThread(this::run);
        t.setName("eventsource-subscription-" + name);
        thread = t;
        t.start();
    }

    void wakeUp() {
        signal.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            signal.unlock();
        }
    }

    void stop() {
        stopping = true;
        wakeUp();
    }

    /** Waits up to {@code nanos} for the thread to end; true if it has. */
    boolean awaitEnd(long nanos) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        return !t.isAlive();
    }

    void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    void rebuild() throws Exception {
        // Prepared before waiting for the batch in progress, so that a handler without a read model is refused at once.
        Delivery.Reset reset = delivery.readModelReset();
        work.lock();
        try {
            reset.run();
            position = 0;
            scanned = 0;
            processedTotal = 0;
            processed = 0;
            lastHandled = null;
            dirty = false;
            // A FAILED subscription stays FAILED here, so that restartIfFailed() below starts its thread again.
            if (state != SubscriptionState.PAUSED && state != SubscriptionState.FAILED) {
                state = SubscriptionState.CATCHING_UP;
            }
        } finally {
            work.unlock();
        }
        restartIfFailed();
        wakeUp();
    }

    /**
     * Delivers a dead-lettered event again, now; resolves the entry if it is decoded and handled,
     * else records the failure.
     */
    boolean retry(DeadLetter letter) {
        work.lock();
        try {
            LogEntry entry;
            try (Stream<LogEntry> at = log.read(ReadOptions.builder().fromPosition(letter.globalPosition() - 1)
                    .limit(1).build())) {
                entry = at.findFirst().filter(e -> e.eventId().equals(letter.eventId())).orElseThrow(() ->
                        new IllegalStateException("event " + letter.eventId() + " is no longer at position "
                                + letter.globalPosition() + " of " + store + "; resolve the dead letter by hand"));
            }
            Throwable failure = entry.decodingFailure();
            if (failure == null) {
                try {
                    StoredEvent event = entry.decode();
                    calls.call(() -> {
                        try (LogContext ignored = LogContext.subscription(name, event)) {
                            delivery.redeliver(event);
                        }
                        return null;
                    }, clock.millis());
                } catch (Exception e) {
                    failure = e;
                }
            }
            if (failure != null) {
                failed++;
                errors.record(clock.millis(), false, 1);
                tell(entry, List.of(), 1, failure, HandlerFailure.Decision.DEAD_LETTER);
                queue(letter(entry, failure, 1));
                return false;
            }
            deadLetters.resolve(letter.id(), clock.instant());
            unresolved.remove(letter.eventId());
            return true;
        } finally {
            work.unlock();
        }
    }

    private void restartIfFailed() {
        if (state != SubscriptionState.FAILED) {
            return;
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            // FAILED is set just before the thread returns; a resume in that window must not be lost.
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (t == null || !t.isAlive()) {
            start();
        }
    }

    private void run() {
        prepared = false;
        AutoCloseable gauges = observer.register(name, () -> {
            SubscriptionHealth h = health();
            return new SubscriptionObserver.State(h.lagEvents(), h.lagTime(), h.deadLetters());
        });
        try {
            while (!stopping) {
                if (locks != null && !holdsLock()) {
                    if (!acquireLock()) {
                        state = SubscriptionState.STANDBY;
                        sleep(lockPoll, false);
                        continue;
                    }
                }
                if (!prepared) {
                    prepare();
                }
                if (paused) {
                    saveIfDirtyLocked();
                    state = SubscriptionState.PAUSED;
                    await();
                    continue;
                }
                boolean full;
                work.lock();
                try {
                    LogEntry.Page page;
                    readingSince = Math.max(1, clock.millis());
                    try {
                        page = log.page(filter.toBuilder().fromPosition(readFrom()).build());
                    } finally {
                        readingSince = 0;
                    }
                    List<LogEntry> batch = page.entries();
                    if (locks != null && !batch.isEmpty() && !holdsLock()) {
                        // The lock went while the batch was read (the read can be the slow part, e.g. under load):
                        // the instance that took over handles these events; checking here, next to the handler
                        // call, keeps two instances from handling at once but for that last instant.
                        continue;
                    }
                    SubscriptionObserver.Batch observed = observe(batch);
                    long processedBefore = processed;
                    long deadLetteredBefore = deadLettered;
                    boolean handled;
                    try {
                        handled = handle(batch);
                    } catch (RuntimeException | Error e) {
                        observed.failed(e);
                        throw e;
                    }
                    observed.handled((int) (processed - processedBefore), (int) (deadLettered - deadLetteredBefore));
                    if (!handled) {
                        state = SubscriptionState.FAILED;
                        return;
                    }
                    if (batch.isEmpty() || position >= batch.get(batch.size() - 1).globalPosition()) {
                        scanned = Math.max(scanned, page.position());   // the whole batch was handled or passed
                    }
                    full = !page.atEnd();
                    if (!full) {
                        saveIfDirty();
                    }
                    state = full ? SubscriptionState.CATCHING_UP : SubscriptionState.LIVE;
                } catch (StoreClosedException e) {
                    lastError = describe(e);
                    crashed = !stopping;
                    state = SubscriptionState.FAILED;
                    return;
                } catch (RuntimeException e) {
                    // The store or the checkpoint store failed; everything after the position is read again later.
                    lastError = describe(e);
                    state = SubscriptionState.STALLED;
                    full = false;
                } finally {
                    work.unlock();
                }
                if (!full) {
                    await();
                }
            }
        } catch (Error e) {
            lastError = describe(e);
            crashed = true;
            state = SubscriptionState.FAILED;
            throw e;
        } catch (Throwable t) {
            lastError = describe(t);
            crashed = true;
            state = SubscriptionState.FAILED;
        } finally {
            calls.close();
            if (state != SubscriptionState.FAILED) {
                try {
                    if (locks == null || holdsLock()) {
                        saveIfDirtyLocked();
                    }
                } catch (RuntimeException e) {
                    lastError = describe(e);
                }
                state = SubscriptionState.STOPPED;
            }
            releaseLock();
            try {
                gauges.close();
            } catch (Exception e) {
                lastError = describe(e);
            }
        }
    }

    /** Starts the observation of a batch: its size, positions and the trace contexts of the events that carry one. */
    private SubscriptionObserver.Batch observe(List<LogEntry> batch) {
        if (batch.isEmpty() || observer == SubscriptionObserver.NONE) {
            return SubscriptionObserver.Batch.NONE;
        }
        List<String> traceparents = new ArrayList<>();
        for (LogEntry entry : batch) {
            if (entry.decodingFailure() == null) {
                entry.decode().metadata().traceparent().ifPresent(t -> {
                    if (!traceparents.contains(t)) {
                        traceparents.add(t);
                    }
                });
            }
        }
        return observer.handlingBatch(name, batch.size(), batch.get(0).globalPosition(),
                batch.get(batch.size() - 1).globalPosition(), traceparents);
    }

    /** Reads where to go on from and which dead letters are queued: at the start, and after taking over the lock. */
    private void prepare() {
        work.lock();
        try {
            if (!positioned) {
                // A restart after a failure goes on from where it stopped, not from the configured start.
                position = startPosition();
                scanned = 0;
                positioned = true;
            }
            unresolved.clear();
            for (DeadLetter letter : deadLetters.list(name)) {
                unresolved.put(letter.eventId(), letter.id());
            }
            prepared = true;
        } finally {
            work.unlock();
        }
    }

    /** Whether this instance still holds the subscription's lock; a lost lock is let go, and what was not saved is dropped. */
    private boolean holdsLock() {
        ExclusiveLock held = lock;
        if (held == null) {
            return false;
        }
        boolean holds;
        try {
            holds = held.isHeld();
        } catch (RuntimeException e) {
            holds = false;
        }
        if (holds) {
            return true;
        }
        lockLosses++;
        lastError = "lost the lock '" + lockName(checkpointName) + "' (e.g. its database session ended); stopped handling and"
                + " competes for it again";
        LOG.log(System.Logger.Level.WARNING, "subscription ''{0}'' lost its lock; another instance may take over", name);
        work.lock();
        try {
            // The instance that takes over goes on from the saved checkpoint; what this one did not save is done again there.
            dirty = false;
            positioned = false;
            prepared = false;
        } finally {
            work.unlock();
        }
        releaseLock();
        return false;
    }

    private boolean acquireLock() {
        try {
            Optional<ExclusiveLock> acquired = locks.tryAcquire(lockName(checkpointName));
            acquired.ifPresent(l -> lock = l);
            if (acquired.isPresent()) {
                positioned = false;
                prepared = false;
                LOG.log(System.Logger.Level.INFO, "subscription ''{0}'' is active in this instance", name);
            }
            return acquired.isPresent();
        } catch (RuntimeException e) {
            lastError = "cannot acquire the lock '" + lockName(checkpointName) + "': " + describe(e);
            return false;
        }
    }

    private void releaseLock() {
        ExclusiveLock held = lock;
        lock = null;
        if (held != null) {
            try {
                held.close();
            } catch (RuntimeException e) {
                lastError = "releasing the lock '" + lockName(checkpointName) + "' failed: " + describe(e);
            }
        }
    }

    private long startPosition() {
        return switch (options.startFrom().kind()) {
            case CHECKPOINT -> checkpoints.find(checkpointName).map(c -> {
                processedTotal = c.eventsProcessed();
                return c.position();
            }).orElse(0L);
            case BEGINNING -> 0;
            case END -> store.globalPosition();
            case POSITION -> options.startFrom().position();
        };
    }

    /** Handles a batch; false if the subscription must stop on a dead letter. */
    private boolean handle(List<LogEntry> batch) {
        if (delivery.takesBatches()) {
            return handleInRuns(batch);
        }
        // A batch of one goes event by event at once: trying it as a unit first would only add an attempt if it fails.
        if (batch.size() > 1 && deliverAsOne(batch)) {
            return true;
        }
        for (LogEntry entry : batch) {
            Step step = step(entry);
            if (step == Step.ABORTED) {
                return true;
            }
            if (step == Step.STOPPED) {
                return false;
            }
        }
        saveByStrategy();
        return true;
    }

    /** What handling one event (or one run) came to for the batch it belongs to. */
    private enum Step { CONTINUE, ABORTED, STOPPED }

    /** Delivers one event, with its retries, and moves past it; STOPPED on a dead letter under STOP. */
    private Step step(LogEntry entry) {
        Outcome outcome = deliver(entry);
        if (outcome == Outcome.ABORTED) {
            return Step.ABORTED;
        }
        if (outcome == Outcome.DEAD_LETTERED && options.afterDeadLetter() == AfterDeadLetter.STOP) {
            saveIfDirty();
            return Step.STOPPED;
        }
        boolean handled = outcome != Outcome.DEAD_LETTERED;
        advance(entry, handled);
        dirty = outcome != Outcome.CHECKPOINTED;
        if (handled) {
            resolveQueued(entry.eventId());
        }
        if (options.checkpointStrategy().kind() == CheckpointStrategy.Kind.EVERY_EVENT) {
            saveIfDirty();
        }
        return Step.CONTINUE;
    }

    private void saveByStrategy() {
        CheckpointStrategy strategy = options.checkpointStrategy();
        if (strategy.kind() == CheckpointStrategy.Kind.EVERY_BATCH
                || (strategy.kind() == CheckpointStrategy.Kind.PERIODIC
                    && System.nanoTime() - lastSaveNanos >= strategy.period().toNanos())) {
            saveIfDirty();
        }
    }

    /**
     * Handles a batch for a handler that takes batches: each run of decodable events in one call,
     * retried as a whole, and event by event once the run's retry budget is spent; an event that
     * cannot be decoded ends the run before it and is dead-lettered on its own.
     */
    private boolean handleInRuns(List<LogEntry> batch) {
        int from = 0;
        while (from < batch.size()) {
            int to = from;
            while (to < batch.size() && batch.get(to).decodingFailure() == null) {
                to++;
            }
            if (to > from) {
                List<LogEntry> run = batch.subList(from, to);
                Step step = deliverRun(run);
                if (step == Step.ABORTED) {
                    return true;
                }
                if (step == Step.STOPPED) {
                    return false;
                }
            }
            if (to < batch.size()) {
                Step step = step(batch.get(to));
                if (step == Step.ABORTED) {
                    return true;
                }
                if (step == Step.STOPPED) {
                    return false;
                }
                to++;
            }
            from = to;
        }
        saveByStrategy();
        return true;
    }

    /** One run of decoded events in one handler call, retried as a whole, then event by event. */
    private Step deliverRun(List<LogEntry> run) {
        List<StoredEvent> events = run.stream().map(LogEntry::decode).toList();
        RetryPolicy retry = options.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            try {
                calls.call(() -> {
                    try (LogContext ignored = LogContext.subscription(name, events)) {
                        delivery.deliverBatch(events);
                    }
                    return null;
                }, clock.millis());
                errors.record(clock.millis(), true, events.size());
                for (LogEntry entry : run) {
                    advance(entry, true);
                    resolveQueued(entry.eventId());
                }
                dirty = true;
                if (options.checkpointStrategy().kind() == CheckpointStrategy.Kind.EVERY_EVENT) {
                    saveIfDirty();
                }
                return Step.CONTINUE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
                return Step.ABORTED;
            } catch (Exception e) {
                failed++;
                errors.record(clock.millis(), false, 1);
                lastError = describe(e);
                boolean spent = attempt >= retry.maxAttempts() || retry.isPermanent(e);
                tell(run.get(0), events, attempt, e, spent ? HandlerFailure.Decision.SPLIT : HandlerFailure.Decision.RETRY);
                if (spent) {
                    break;
                }
                // A pause cuts the wait short too: the run is handed over again on resume, from the same position.
                if (!sleep(retry.delayAfter(attempt), true)) {
                    return Step.ABORTED;
                }
            }
        }
        for (LogEntry entry : run) {
            Step step = step(entry);
            if (step != Step.CONTINUE) {
                return step;
            }
        }
        return Step.CONTINUE;
    }

    /** The whole batch and its checkpoint as one unit, when the delivery has one; false if nothing was written. */
    private boolean deliverAsOne(List<LogEntry> batch) {
        long eventsProcessed = processedTotal + batch.size();
        boolean committed;
        try {
            committed = calls.call(() -> {
                try (LogContext ignored = LogContext.subscription(name, batch.get(0).globalPosition(),
                        batch.get(batch.size() - 1).globalPosition())) {
                    return delivery.deliverAsOne(batch, eventsProcessed);
                }
            }, clock.millis());
        } catch (HandlerTimeoutException e) {
            // Event by event, each with its own timeout, finds the one that hangs.
            failed++;
            errors.record(clock.millis(), false, 1);
            lastError = describe(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return false;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            return false;
        }
        if (!committed) {
            return false;
        }
        errors.record(clock.millis(), true, batch.size());
        for (LogEntry entry : batch) {
            advance(entry, true);
        }
        lastSaveNanos = System.nanoTime();
        for (LogEntry entry : batch) {
            resolveQueued(entry.eventId());
        }
        return true;
    }

    private Outcome deliver(LogEntry entry) {
        Throwable undecodable = entry.decodingFailure();
        if (undecodable != null) {
            // Not a handler failure: decoding the same row with the same classes fails the same way, so a retry would only delay this.
            failed++;
            errors.record(clock.millis(), false, 1);
            observer.attemptFailed(name, entry.eventType(), undecodable);
            tell(entry, List.of(), 1, undecodable, HandlerFailure.Decision.DEAD_LETTER);
            queue(letter(entry, undecodable, 1));
            return Outcome.DEAD_LETTERED;
        }
        StoredEvent event = entry.decode();
        RetryPolicy retry = options.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            try {
                long eventsProcessed = processedTotal + 1;
                boolean checkpointed = calls.call(() -> {
                    try (LogContext ignored = LogContext.subscription(name, event)) {
                        return delivery.deliver(event, eventsProcessed);
                    }
                }, clock.millis());
                errors.record(clock.millis(), true, 1);
                if (checkpointed) {
                    lastSaveNanos = System.nanoTime();
                    return Outcome.CHECKPOINTED;
                }
                return Outcome.HANDLED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
                return Outcome.ABORTED;
            } catch (Exception e) {
                failed++;
                errors.record(clock.millis(), false, 1);
                lastError = describe(e);
                observer.attemptFailed(name, entry.eventType(), e);
                boolean spent = attempt >= retry.maxAttempts() || retry.isPermanent(e);
                tell(entry, List.of(event), attempt, e, spent ? HandlerFailure.Decision.DEAD_LETTER
                        : HandlerFailure.Decision.RETRY);
                if (spent) {
                    queue(letter(entry, e, attempt));
                    return Outcome.DEAD_LETTERED;
                }
                if (!sleep(retry.delayAfter(attempt), false)) {
                    return Outcome.ABORTED;
                }
            }
        }
    }

    /** Tells the error listener; what it throws must not change what the subscription does. */
    private void tell(LogEntry entry, List<StoredEvent> events, int attempt, Throwable error,
                      HandlerFailure.Decision decision) {
        if (onError == HandlerFailureListener.NONE) {
            return;
        }
        try {
            onError.onFailure(new HandlerFailure(name, entry.eventId(), entry.globalPosition(), entry.eventType(), events,
                    attempt, error, decision));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the onError listener of subscription ''" + name + "'' threw; ignored", e);
        }
    }

    private void advance(LogEntry entry, boolean handled) {
        position = entry.globalPosition();
        if (handled) {
            processedTotal++;
            processed++;
            lastHandled = entry.decode();
        }
    }

    /**
     * Resolves the dead letter of an event this subscription has just handled itself (after a
     * resume, a restart or a rebuild went back over it), so that retrying the entry cannot
     * deliver the event twice.
     */
    private void resolveQueued(UUID eventId) {
        Long letter = unresolved.remove(eventId);
        if (letter != null) {
            deadLetters.resolve(letter, clock.instant());
        }
    }

    private void queue(DeadLetter letter) {
        // Before the entry is visible: a health check that counts it also sees why.
        lastError = letter.error();
        DeadLetter queued = deadLetters.add(letter);
        deadLettered++;
        observer.deadLettered(name, letter.eventType());
        unresolved.put(queued.eventId(), queued.id());
        lastError = queued.error();
    }

    private void saveIfDirtyLocked() {
        work.lock();
        try {
            saveIfDirty();
        } finally {
            work.unlock();
        }
    }

    private void saveIfDirty() {
        if (!dirty) {
            return;
        }
        StoredEvent last = lastHandled;
        checkpoints.save(new Checkpoint(checkpointName, position, processedTotal, last == null ? null : last.eventId(),
                last == null ? null : last.eventType(), clock.instant()));
        dirty = false;
        lastSaveNanos = System.nanoTime();
    }

    private DeadLetter letter(LogEntry entry, Throwable failure, int attempts) {
        Instant now = clock.instant();
        String error = entry.isDecoded() ? describe(failure) : entry.describe() + " cannot be decoded by this process: "
                + describe(failure) + ". Decoding is not retried: it fails the same way until the code changes. If the"
                + " type is not registered here, register its class in the store's EventRegistry (a process that only"
                + " reads must register the classes it reads, e.g. with EventRegistry.registerPackage); if the stored JSON"
                + " no longer fits the class, register an upcaster or fix the class. Then retry the dead letter with"
                + " SubscriptionManager.retryDeadLetter.";
        return new DeadLetter(0, name, entry.eventId(), entry.globalPosition(), entry.eventType(), entry.payload(),
                error, stackTrace(failure), attempts, now, now, null);
    }

    /** Waits for a wake-up or the poll interval, whichever comes first. */
    private void await() {
        signal.lock();
        try {
            if (!woken && !stopping) {
                wake.awaitNanos(pollInterval.toNanos());
            }
            woken = false;
        } catch (InterruptedException e) {
            stopping = true;
            Thread.currentThread().interrupt();
        } finally {
            signal.unlock();
        }
    }

    /** Sleeps a retry delay; false if the subscription is stopping (or, if asked, pausing) meanwhile. */
    private boolean sleep(Duration delay, boolean untilPaused) {
        long end = System.nanoTime() + delay.toNanos();
        signal.lock();
        try {
            for (long left = delay.toNanos(); left > 0 && !stopping && !(untilPaused && paused);
                 left = end - System.nanoTime()) {
                wake.awaitNanos(left);
            }
            if (untilPaused && paused) {
                return false;
            }
        } catch (InterruptedException e) {
            stopping = true;
            Thread.currentThread().interrupt();
        } finally {
            signal.unlock();
        }
        return !stopping;
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
