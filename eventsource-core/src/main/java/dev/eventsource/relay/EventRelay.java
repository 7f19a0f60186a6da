package dev.eventsource.relay;

import dev.eventsource.EventSourceException;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointNames;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.RetryPolicy;
import dev.eventsource.telemetry.RelayObserver;
import dev.eventsource.telemetry.RelayTelemetry;
import dev.eventsource.tenant.TenantId;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The transactional outbox that needs no outbox table: tails a store's global log from a durable
 * checkpoint and publishes every event to an {@link EventPublisher}, advancing the checkpoint only
 * after the publisher acknowledged. An append that rolled back never reached the log, so it is
 * never published; one that committed is published at least once, even across a crash of the relay.
 *
 * <pre>{@code
 * try (EventRelay relay = EventRelay.builder("to-kafka", backend, kafkaPublisher).build().start()) {
 *     ...   // relay.status(): state, lag, last published position, failures
 * }
 * }</pre>
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li><em>At-least-once</em>: the relay reads the stored rows after its checkpoint in batches of
 *       up to {@code batchSize} and hands each batch to
 *       {@link EventPublisher#publishRows(List, java.util.function.Function)}. Up to
 *       {@link Builder#maxBatchesInFlight} batches are on their way at once (the next one is read
 *       while the broker acknowledges the last; while catching up, on a second thread of the relay's
 *       while this one is handed over), and the checkpoint moves past a batch only once it
 *       and every batch before it were acknowledged. While batches are in flight it is saved at
 *       most once per {@link Builder#checkpointInterval}, and at once when nothing is in flight. A
 *       crash publishes again the unacknowledged batches and those acknowledged since the last
 *       save: consumers de-duplicate on the event id.</li>
 *   <li><em>Order</em>: one thread hands the batches over in global position order, so the
 *       publisher sees each aggregate's events in version order (and all events in log order).</li>
 *   <li><em>No skipping</em>: when a batch fails, the relay waits for the others in flight, backs
 *       off exponentially ({@link Builder#retryBackoff}) and publishes again from the first
 *       unacknowledged event, without end; the checkpoint stays meanwhile. A relay never
 *       dead-letters. A broker adapter that sends the stored document (Kafka) never decodes a
 *       payload, so it relays events whose classes this process does not know. A publisher that
 *       needs decoded events (an in-process bus) stops the relay in {@link RelayState#FAILED} at an
 *       event this process cannot decode, with the events before it published; register the
 *       class and {@link #resume()}.</li>
 *   <li><em>One active relay per name</em>: given {@link ExclusiveLocks} (a backend's
 *       {@link EventStoreBackend#locks()}), the relay publishes only while it holds the lock
 *       {@code "relay:<name>"}; other instances wait in {@link RelayState#STANDBY} and try again every
 *       {@link Builder#lockPollInterval}. While it publishes, the holder checks the lock (a round
 *       trip on PostgreSQL) at most once per {@link Builder#checkpointInterval} or lock poll
 *       interval, whichever is shorter, and at least at every lock poll; once it is lost (on
 *       PostgreSQL, its session ended) it stops publishing, saves nothing more, and competes for
 *       the lock again after three lock polls, so that a standby already waiting takes over
 *       rather than the instance whose session just died. Without locks, nothing stops two relays of one
 *       name in two processes from both publishing.</li>
 *   <li><em>Fenced checkpoint</em>: with locks, the holder claims the checkpoint when it takes the
 *       lock and saves only over its own last save ({@link CheckpointStore#saveIfUnchanged}). A
 *       holder that lost its lock unseen (paused past the end of its PostgreSQL session, while
 *       another took over) has its next save refused: it never moves the checkpoint back, abandons
 *       its batches in flight, publishes nothing more and stands by.</li>
 * </ul>
 *
 * <p><b>Telemetry.</b> Each batch is reported to a {@link RelayObserver}: by default
 * {@link RelayTelemetry} on {@link GlobalOpenTelemetry} (one span per batch, published and failed
 * counters, lag gauge); see {@link Builder#observer} and {@link Builder#openTelemetry}.</p>
 *
 * <p>The checkpoint is kept in the given {@link CheckpointStore} under {@code "relay:<name>"}. The
 * relay never closes the publisher, the store or the checkpoint store. Thread-safe.
 */
public final class EventRelay implements AutoCloseable {

    /** How long {@link #close()} waits for the batches in flight. */
    public static final Duration DEFAULT_SHUTDOWN_DEADLINE = Duration.ofSeconds(30);

    /** The least time between checkpoint saves while batches are in flight; see {@link Builder#checkpointInterval}. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMillis(100);

    private static final System.Logger LOG = System.getLogger(EventRelay.class.getName());

    private final String name;
    /** How many lock polls a holder that lost its lock (or was fenced) waits before it competes again. */
    static final int LOST_LOCK_BACKOFF_POLLS = 3;

    private final String key;
    private final RecordedLog log;
    private final EventMapper mapper;
    private final CheckpointStore checkpoints;
    private final EventPublisher publisher;
    private final AppendNotifier notifier;
    private final ExclusiveLocks locks;
    private final Duration lockPollInterval;
    private final Duration pollInterval;
    private final RetryPolicy backoff;
    private final ReadOptions filter;
    private final int maxInFlight;
    private final long checkpointEveryNanos;
    /** The least time between two checks of the lock while batches are flowing: each is a round trip on PostgreSQL. */
    private final long lockCheckEveryNanos;
    private final ThreadFactory threads;
    private final Clock clock;
    private final RelayObserver observer;
    /** The telemetry the relay made itself (none given): closed when it stops. */
    private final RelayTelemetry ownTelemetry;
    private volatile AutoCloseable registration;

    private final ReentrantLock control = new ReentrantLock();
    private final Condition wake = control.newCondition();
    private boolean woken;
    /** Bumped by pause and resume: what cuts a retry wait short, besides close (appends do not). */
    private long nudges;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean paused;
    /** Set when the relay stops at an event it cannot publish; cleared by {@link #resume()}. */
    private volatile boolean failed;
    private volatile RelayState state = RelayState.NEW;
    private volatile Thread supervisor;
    /** Reads the next batch while the relay's thread hands this one over; made on the first full batch. */
    private ExecutorService reader;
    private volatile ExclusiveLock lock;

    private volatile long lastPublishedPosition = -1;
    /**
     * How far the holder has read the log with everything it selects up to there acknowledged; 0
     * when not known. Lets the lag of a filtered relay skip the rows it already read past.
     */
    private volatile long quietThrough;
    private final AtomicLong publishedEvents = new AtomicLong();
    private final AtomicLong publishedBatches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private final AtomicLong lockLosses = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastPublishedAt;

    private EventRelay(Builder b) {
        this.name = b.name;
        // A relay of one tenant keeps its checkpoint and lock apart from the same-named relay of another (or of all).
        this.key = CheckpointNames.of("relay:" + b.name, b.tenant);
        this.log = b.log;
        this.mapper = b.log.mapper();
        this.checkpoints = b.checkpoints;
        this.publisher = b.publisher;
        this.notifier = b.notifier;
        this.locks = b.locks;
        this.lockPollInterval = b.lockPollInterval;
        this.pollInterval = b.pollInterval;
        this.backoff = RetryPolicy.forever(b.initialBackoff, b.maxBackoff);
        // One page per batch: the batch is held whole anyway, and each page is a query (on PostgreSQL two round trips).
        ReadOptions.Builder read = ReadOptions.builder().limit(b.batchSize).pageSize(b.batchSize);
        if (!b.eventTypes.isEmpty()) {
            read.eventTypes(b.eventTypes.toArray(String[]::new));
        }
        if (!b.aggregateTypes.isEmpty()) {
            read.aggregateTypes(b.aggregateTypes.toArray(String[]::new));
        }
        if (b.tenant != null) {
            read.tenantId(b.tenant.value());
        }
        this.filter = read.build();
        this.maxInFlight = b.maxInFlight;
        this.checkpointEveryNanos = b.checkpointInterval.toNanos();
        this.lockCheckEveryNanos = Math.min(checkpointEveryNanos, b.lockPollInterval.toNanos());
        this.threads = b.threads;
        this.clock = b.clock;
        if (b.observer != null) {
            this.observer = b.observer;
            this.ownTelemetry = null;
        } else {
            this.ownTelemetry = new RelayTelemetry(b.openTelemetry != null ? b.openTelemetry : GlobalOpenTelemetry.get());
            this.observer = ownTelemetry;
        }
    }

    /**
     * A relay named {@code name} that reads {@code log}, keeps its checkpoint in
     * {@code checkpoints} and publishes to {@code publisher}. It wakes on appends through this
     * process's store; give {@link Builder#appendNotifier} for other processes' appends (or use
     * {@link #builder(String, EventStoreBackend, EventPublisher)}), and {@link Builder#locks} for one
     * active relay across instances.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank, has surrounding blanks or contains
     *                                  {@link CheckpointNames#TENANT_SEPARATOR}
     */
    public static Builder builder(String name, RecordedLog log, CheckpointStore checkpoints, EventPublisher publisher) {
        return new Builder(name, log, checkpoints, publisher);
    }

    /**
     * A relay wired to {@code backend}: its log, checkpoints, a new append notifier (on PostgreSQL,
     * {@code LISTEN/NOTIFY} too) and its {@link EventStoreBackend#locks()}, so that one relay per name
     * is active across the instances on the backend's database.
     */
    public static Builder builder(String name, EventStoreBackend backend, EventPublisher publisher) {
        Objects.requireNonNull(backend, "backend");
        return new Builder(name, backend.log(), backend.checkpoints(), publisher)
                .appendNotifier(backend.newAppendNotifier())
                .locks(backend.locks());
    }

    public String name() {
        return name;
    }

    /**
     * Starts relaying (or, with locks, competing for the lock) on a thread of its own; returns this.
     *
     * @throws IllegalStateException if started already, or closed
     */
    public EventRelay start() {
        control.lock();
        try {
            if (closed) {
                throw new IllegalStateException("relay '" + name + "' is closed; build a new one");
            }
            if (started) {
                throw new IllegalStateException("relay '" + name + "' is started already");
            }
            started = true;
            try {
                registration = observer.register(name, this::observedState);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "relay ''{0}'' runs unreported: {1} refused to register it: {2}", name,
                        observer, describe(e));
            }
            notifier.start(this::wakeUp);
            Thread t = newThread(this::supervise, "eventsource-relay-" + name);
            supervisor = t;
            t.start();
        } finally {
            control.unlock();
        }
        return this;
    }

    /**
     * Stops publishing once the batches in flight are acknowledged (a retry wait is cut short) and
     * saves the checkpoint; returns at once. A paused relay keeps its lock.
     */
    public void pause() {
        paused = true;
        nudge();
    }

    /** Resumes a paused relay, or restarts a {@link RelayState#FAILED} one from its checkpoint. */
    public void resume() {
        paused = false;
        failed = false;
        nudge();
    }

    /** The relay's state, position, lag and failures; reads the store's head and, when behind, one row. */
    public RelayStatus status() {
        boolean holds = holds();
        long head = log.globalPosition();
        long position = lastPublishedPosition();
        long lag = lag(head, position);
        RelayState s = closed ? RelayState.STOPPED : state;
        return new RelayStatus(name, s, holds, position, head, lag, publishedEvents.get(), publishedBatches.get(),
                failures.get(), consecutiveFailures.get(), lastError, lastErrorAt, lastPublishedAt, lockLosses.get());
    }

    /**
     * Stops publishing (the batches in flight are acknowledged within {@code deadline}, or abandoned
     * and published again by the next holder), saves the checkpoint, releases the lock. Idempotent.
     *
     * @return whether everything stopped within the deadline
     */
    public boolean shutdown(Duration deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        long end = System.nanoTime() + deadline.toNanos();
        control.lock();
        try {
            closed = true;
            woken = true;
            wake.signalAll();
        } finally {
            control.unlock();
        }
        Thread t = supervisor;
        boolean ended = true;
        if (t != null && t != Thread.currentThread()) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (t.isAlive()) {
                // Abandons the batches in flight: nothing more is saved, the next holder publishes them again.
                t.interrupt();
                t.join(1000);
                ended = false;
            }
        }
        if (t == null) {
            notifier.close();
            stopObserving();
        }
        releaseLock();
        return ended;
    }

    /** {@link #shutdown} with {@link #DEFAULT_SHUTDOWN_DEADLINE}. */
    @Override
    public void close() {
        try {
            shutdown(DEFAULT_SHUTDOWN_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EventRelay[" + name + " -> " + publisher + "]";
    }

    private long lastPublishedPosition() {
        long p = lastPublishedPosition;
        if (p >= 0) {
            return p;
        }
        try {
            return checkpoints.find(key).map(Checkpoint::position).orElse(0L);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private boolean relayableAfter(long position) {
        try (Stream<RecordedEvent> next = log.readRecorded(filter.toBuilder().fromPosition(position).limit(1).build())) {
            return next.findFirst().isPresent();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** The relay's thread: takes the lock, relays while it holds, and gives up on close. */
    private void supervise() {
        try {
            while (!closed) {
                if (locks != null && lock == null && !acquire()) {
                    state = RelayState.STANDBY;
                    await(lockPollInterval);
                    continue;
                }
                relayWhileHolding();
                if (locks != null && lock == null && !closed) {
                    // Lost or fenced: leave the lock to the standbys for a while, so that one already polling takes
                    // over rather than this instance, whose session just died, winning it straight back.
                    sleep(lockPollInterval.multipliedBy(LOST_LOCK_BACKOFF_POLLS));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            recordError(describe(e));
            state = RelayState.FAILED;
            LOG.log(System.Logger.Level.ERROR, "relay '" + name + "' stopped on an unexpected failure", e);
        } finally {
            if (reader != null) {
                reader.shutdownNow();
            }
            notifier.close();
            releaseLock();
            stopObserving();
        }
    }

    /** What the observer's gauges report: the lag as {@link #status()} computes it. */
    private RelayObserver.State observedState() {
        long position = lastPublishedPosition();
        return new RelayObserver.State(lag(log.globalPosition(), position), Math.max(0, position), holds());
    }

    private boolean holds() {
        return locks == null ? started && !closed : lock != null && !closed;
    }

    /** Events after {@code position} up to {@code head}; 0 when nothing this relay relays is left. */
    private long lag(long head, long position) {
        return head > position && (!filter.isFiltered() || relayableAfter(Math.max(position, quietThrough))) ? head - position : 0;
    }

    private void stopObserving() {
        AutoCloseable r = registration;
        registration = null;
        try {
            if (r != null) {
                r.close();
            }
            if (ownTelemetry != null) {
                ownTelemetry.close();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "relay ''{0}'': closing its telemetry failed: {1}", name, describe(e));
        }
    }

    /** One batch handed to the publisher and not yet acknowledged. */
    private record InFlight(CompletableFuture<Void> acks, RecordedEvent first, RecordedEvent last, int size) {
    }

    /** The batch after global position {@code from}, being read on the reader thread. */
    private record ReadAhead(long from, Future<RecordedPage> rows) {
    }

    /** The batch after global position {@code from}, read on this thread, and where the read got to. */
    private RecordedPage read(long from) {
        return log.readRecordedPage(filter.toBuilder().fromPosition(from).build());
    }

    /** A thread of the builder's factory (a daemon thread without one), named {@code threadName}. */
    private Thread newThread(Runnable task, String threadName) {
        Thread t;
        if (threads != null) {
            t = threads.newThread(task);
        } else {
            t = new Thread(task);
            t.setDaemon(true);
        }
        t.setName(threadName);
        return t;
    }

    /** Starts reading the batch after {@code from} on the reader thread. */
    private ReadAhead readAhead(long from) {
        if (reader == null) {
            reader = Executors.newSingleThreadExecutor(r -> newThread(r, "eventsource-relay-" + name + "-reader"));
        }
        return new ReadAhead(from, reader.submit(() -> read(from)));
    }

    /** The batch after {@code from}: the one read ahead if it started there, else read now. */
    private RecordedPage next(ReadAhead ahead, long from) throws InterruptedException {
        if (ahead == null || ahead.from() != from) {
            return read(from);
        }
        try {
            return ahead.rows().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Relays from the checkpoint until closed or the lock is lost: reads the next batch while up to
     * {@code maxInFlight} earlier ones await their acknowledgement, and saves the checkpoint past
     * the acknowledged prefix.
     */
    private void relayWhileHolding() throws InterruptedException {
        // With locks, the holder's saves are fenced: each one replaces only the checkpoint it saved
        // (or claimed) last, so that a former holder that lost its lock unseen saves nothing more.
        Checkpoint saved;
        try {
            saved = locks == null ? checkpoints.find(key).orElse(null) : claim();
        } catch (RuntimeException e) {
            stall("cannot read or claim the checkpoint '" + key + "': " + describe(e));
            await(pollInterval);
            return;
        }
        if (saved == null && locks != null) {
            await(lockPollInterval);   // lost the lock, or could not claim: compete again after a poll
            return;
        }
        long acked = saved == null ? 0 : saved.position();
        long processedBefore = saved == null ? 0 : saved.eventsProcessed();
        lastPublishedPosition = acked;
        quietThrough = 0;
        long next = acked;
        long ackedEvents = 0;
        Deque<InFlight> inFlight = new ArrayDeque<>();
        ReadAhead ahead = null;
        int attempt = 0;
        // The last batch acknowledged but not yet saved past, and when the checkpoint was last saved.
        InFlight unsaved = null;
        long lastSave = System.nanoTime();
        long lockChecked = System.nanoTime();   // claim() just saved under the lock
        while (true) {
            // Confirming the lock costs a round trip on PostgreSQL, and this loop turns once or twice per
            // batch: the holder confirms it at most once per lock check interval. Missing a loss for that
            // long moves no checkpoint (saves are fenced); it may publish a few batches more again.
            boolean lost = false;
            if (locks != null && System.nanoTime() - lockChecked >= lockCheckEveryNanos) {
                lost = lostLock();
                lockChecked = System.nanoTime();
            }
            // 1. Take in what was acknowledged, in order, and save the checkpoint past it.
            Throwable failure = null;
            InFlight reached = null;
            while (!inFlight.isEmpty() && inFlight.peek().acks().isDone()) {
                InFlight head = inFlight.poll();
                try {
                    head.acks().join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    break;
                }
                reached = head;
                ackedEvents += head.size();
                acknowledged(head);
            }
            if (reached != null) {
                unsaved = reached;
                attempt = 0;
            }
            // While batches are still in flight, saves are at most one per checkpoint interval: each is
            // a durable write on the relay's own thread. Everything else saves at once: nothing in
            // flight (caught up or about to wait), a failure, or a stop.
            boolean saveDue = unsaved != null && (inFlight.isEmpty() || failure != null || closed || paused || failed
                    || System.nanoTime() - lastSave >= checkpointEveryNanos);
            if (saveDue && !lost) {
                InFlight through = unsaved;
                lastSave = System.nanoTime();
                try {
                    Checkpoint moved = new Checkpoint(key, through.last().globalPosition(), processedBefore + ackedEvents,
                            through.last().eventId(), through.last().eventType(), savedAfter(saved));
                    if (locks == null) {
                        checkpoints.save(moved);
                    } else if (!checkpoints.saveIfUnchanged(saved, moved)) {
                        // Another holder saved since: this one lost its lock unseen (a pause longer than
                        // the session). Abandon the batches in flight; the holder publishes them again.
                        onFenced(through.last().globalPosition());
                        return;
                    }
                    saved = moved;
                    acked = through.last().globalPosition();
                    unsaved = null;
                } catch (RuntimeException e) {
                    // Published but not saved: after a restart these are published again, never skipped.
                    stall("cannot save the checkpoint '" + key + "': " + describe(e));
                }
            }
            if (failure != null) {
                settleAll(inFlight);
                inFlight.clear();
                ahead = null;
                next = acked;
                failures.incrementAndGet();
                consecutiveFailures.incrementAndGet();
                recordError("publishing from global position " + (acked + 1) + " failed: " + describe(failure)
                        + "; retrying with backoff, nothing after it is published meanwhile");
                state = RelayState.RETRYING;
                sleep(backoff.delayAfter(++attempt));
                continue;
            }
            // 2. Stop, pause or wait when asked to, once nothing is in flight.
            if (closed || lost || paused || failed) {
                if (!inFlight.isEmpty() && !lost) {
                    awaitHead(inFlight);
                    continue;
                }
                next = acked;
                ahead = null;
                if (lost) {
                    onLockLost();
                    return;
                }
                if (closed) {
                    return;
                }
                state = failed ? RelayState.FAILED : RelayState.PAUSED;
                await(pollInterval);
                continue;
            }
            if (inFlight.size() >= maxInFlight) {
                awaitHead(inFlight);
                continue;
            }
            // 3. Read and hand over the next batch.
            RecordedPage page;
            ReadAhead taken = ahead;
            ahead = null;   // used once, whatever its outcome: a failed read is read again, not taken again
            try {
                page = next(taken, next);
            } catch (StoreClosedException e) {
                settleAll(inFlight);
                recordError(describe(e));
                failed = true;
                continue;
            } catch (RuntimeException e) {
                stall("cannot read the log after global position " + next + ": " + describe(e));
                if (inFlight.isEmpty()) {
                    await(pollInterval);
                } else {
                    awaitHead(inFlight);
                }
                continue;
            }
            List<RecordedEvent> rows = page.rows();
            if (rows.isEmpty()) {
                // A filtered read can get past rows it does not select without finding one: go on from there.
                next = Math.max(next, page.position());
                if (!page.atEnd()) {
                    continue;
                }
                if (inFlight.isEmpty()) {
                    quietThrough = next;
                    state = consecutiveFailures.get() > 0 ? RelayState.RETRYING : RelayState.LIVE;
                    await(pollInterval);
                } else {
                    awaitHead(inFlight);
                }
                continue;
            }
            if (consecutiveFailures.get() == 0 && state != RelayState.LIVE) {
                state = RelayState.CATCHING_UP;
            }
            if (!page.atEnd() && !failed) {
                // Catching up: read the next batch while this one is encoded and handed over.
                ahead = readAhead(page.position());
            }
            InFlight sent = send(rows);
            if (sent != null) {
                inFlight.add(sent);
            }
            next = page.position();
        }
    }

    /**
     * Hands {@code rows} to the publisher; a failure to hand them over is a failed batch. Null when
     * nothing was published: the first row cannot be decoded.
     */
    private InFlight send(List<RecordedEvent> rows) {
        RecordedEvent first = rows.get(0);
        RecordedEvent last = rows.get(rows.size() - 1);
        CompletableFuture<Void> acks;
        RelayObserver.Batch observed = observe(rows.size(), first.globalPosition(), last.globalPosition());
        try {
            acks = publisher.publishRows(rows, this::decode);
        } catch (Undecodable u) {
            settle(observed, u.getCause());
            // The publisher published the rows before it; the relay stops at it until resumed.
            failed = true;
            recordError("event " + u.row.eventId() + " (" + u.row.eventType() + ") at global position "
                    + u.row.globalPosition() + " cannot be decoded here, and " + publisher + " publishes decoded events: "
                    + describe(u.getCause()) + "; register its class, then resume()");
            int before = rows.indexOf(u.row);
            return before <= 0 ? null
                    : new InFlight(CompletableFuture.completedFuture(null), first, rows.get(before - 1), before);
        } catch (RuntimeException e) {
            acks = CompletableFuture.failedFuture(e);
        }
        acks.whenComplete((ok, e) -> {
            settle(observed, e);
            wakeUp();
        });
        return new InFlight(acks, first, last, rows.size());
    }

    private RelayObserver.Batch observe(int events, long first, long last) {
        try {
            RelayObserver.Batch batch = observer.publishingBatch(name, events, first, last);
            return batch != null ? batch : RelayObserver.Batch.NONE;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "relay ''{0}'': {1} failed to observe a batch: {2}", name, observer,
                    describe(e));
            return RelayObserver.Batch.NONE;
        }
    }

    /** Tells the observer how a batch ended; observing never fails the relay. */
    private void settle(RelayObserver.Batch observed, Throwable error) {
        try {
            if (error == null) {
                observed.acknowledged();
            } else {
                observed.failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "relay ''{0}'': {1} failed to observe a batch's end: {2}", name, observer,
                    describe(e));
        }
    }

    private StoredEvent decode(RecordedEvent row) {
        try {
            return mapper.toStoredEvent(row);
        } catch (RuntimeException e) {
            throw new Undecodable(row, e);
        }
    }

    /** A row this process cannot decode, for a publisher that needs decoded events; never leaves the relay. */
    private static final class Undecodable extends EventSourceException {
        private final transient RecordedEvent row;

        Undecodable(RecordedEvent row, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.row = row;
        }
    }

    private void acknowledged(InFlight batch) {
        consecutiveFailures.set(0);
        lastPublishedPosition = batch.last().globalPosition();
        lastPublishedAt = clock.instant();
        publishedEvents.addAndGet(batch.size());
        publishedBatches.incrementAndGet();
    }

    /** Waits until the oldest batch in flight settles, or something else wakes the relay. */
    private void awaitHead(Deque<InFlight> inFlight) throws InterruptedException {
        InFlight head = inFlight.peek();
        control.lock();
        try {
            long left = lockPollInterval.toNanos();
            while (!head.acks().isDone() && !woken && left > 0) {
                left = wake.awaitNanos(left);
            }
            woken = false;
        } finally {
            control.unlock();
        }
    }

    /** Waits until every batch in flight settled, whatever the outcome: they are published again. */
    private void settleAll(Deque<InFlight> inFlight) throws InterruptedException {
        for (InFlight batch : inFlight) {
            try {
                batch.acks().get();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                // settled
            }
        }
    }

    private boolean lostLock() {
        ExclusiveLock held = lock;
        return locks != null && (held == null || !held.isHeld());
    }

    /**
     * Takes the checkpoint over for this holder of the lock: saves it again as it is, with a later
     * save time, over the one it read, so that a former holder's next save (over the one it saved
     * last) is refused. Null when the lock was lost meanwhile or another writer kept saving.
     */
    private Checkpoint claim() {
        Checkpoint seen = checkpoints.find(key).orElse(null);
        for (int attempt = 0; attempt < 10; attempt++) {
            Checkpoint claimed = seen == null
                    ? new Checkpoint(key, 0, 0, null, null, savedAfter(null))
                    : new Checkpoint(key, seen.position(), seen.eventsProcessed(), seen.lastEventId(), seen.lastEventType(),
                    savedAfter(seen));
            if (checkpoints.saveIfUnchanged(seen, claimed)) {
                return claimed;
            }
            if (lostLock()) {
                onLockLost();
                return null;
            }
            // A former holder saved meanwhile; it saves nothing once this claim is in.
            seen = checkpoints.find(key).orElse(null);
        }
        stall("cannot claim the checkpoint '" + key + "': another writer saves it too; is a relay of this name running"
                + " without locks, or is something else writing the checkpoint?");
        releaseLock();
        return null;
    }

    /** A save time after {@code previous}'s, to the microsecond the stores keep, so that every save differs. */
    private Instant savedAfter(Checkpoint previous) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (previous != null && !now.isAfter(previous.updatedAt())) {
            return previous.updatedAt().truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS);
        }
        return now;
    }

    private void onFenced(long position) {
        LOG.log(System.Logger.Level.WARNING, "relay ''{0}'' was fenced: another holder saved its checkpoint; it stops"
                + " publishing", name);
        releaseLock();
        recordError("fenced at global position " + position + ": another holder of '" + key + "' (or a reset) saved the"
                + " checkpoint since this instance's last save, so its lock was lost unseen; saved nothing, stopped"
                + " publishing, competing for the lock again");
        state = RelayState.STANDBY;
        lockLosses.incrementAndGet();
    }

    private void onLockLost() {
        LOG.log(System.Logger.Level.WARNING, "relay ''{0}'' lost its lock; it stops publishing", name);
        releaseLock();
        recordError("lost the lock '" + key + "' (its session ended); stopped publishing, competing for it again");
        state = RelayState.STANDBY;
        // Counted once the relay has stopped, so that whoever sees the count sees a standby.
        lockLosses.incrementAndGet();
    }

    private boolean acquire() {
        try {
            Optional<ExclusiveLock> acquired = locks.tryAcquire(key);
            acquired.ifPresent(l -> lock = l);
            return acquired.isPresent();
        } catch (RuntimeException e) {
            // The database is unreachable, say: stay a standby and try again at the next poll.
            recordError("cannot acquire the lock '" + key + "': " + describe(e));
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
                recordError("releasing the lock '" + key + "' failed: " + describe(e));
            }
        }
    }

    private void stall(String error) {
        recordError(error);
        state = RelayState.STALLED;
    }

    private void recordError(String error) {
        lastError = error;
        lastErrorAt = clock.instant();
    }

    private void nudge() {
        control.lock();
        try {
            nudges++;
            woken = true;
            wake.signalAll();
        } finally {
            control.unlock();
        }
    }

    private void wakeUp() {
        control.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            control.unlock();
        }
    }

    private void await(Duration timeout) throws InterruptedException {
        control.lock();
        try {
            long left = Math.min(timeout.toNanos(), lockPollInterval.toNanos());
            while (!woken && !closed && left > 0) {
                left = wake.awaitNanos(left);
            }
            woken = false;
        } finally {
            control.unlock();
        }
    }

    /** A retry wait, cut short by close, pause or resume. */
    private void sleep(Duration delay) throws InterruptedException {
        long end = System.nanoTime() + delay.toNanos();
        control.lock();
        try {
            long at = nudges;
            long left;
            while (nudges == at && !closed && (left = end - System.nanoTime()) > 0) {
                wake.awaitNanos(left);
            }
        } finally {
            control.unlock();
        }
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Configures an {@link EventRelay}; every setter validates its argument at once. */
    public static final class Builder {
        private final String name;
        private final RecordedLog log;
        private final CheckpointStore checkpoints;
        private final EventPublisher publisher;
        private AppendNotifier notifier;
        private ExclusiveLocks locks;
        private int batchSize = 500;
        private int maxInFlight = 4;
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration lockPollInterval = Duration.ofSeconds(1);
        private final Set<String> eventTypes = new LinkedHashSet<>();
        private final Set<String> aggregateTypes = new LinkedHashSet<>();
        private TenantId tenant;
        private ThreadFactory threads;
        private Clock clock = Clock.systemUTC();
        private RelayObserver observer;
        private OpenTelemetry openTelemetry;

        private Builder(String name, RecordedLog log, CheckpointStore checkpoints, EventPublisher publisher) {
            this.name = ExclusiveLocks.checkName(name);
            if (name.contains(CheckpointNames.TENANT_SEPARATOR)) {
                throw new IllegalArgumentException("relay name '" + name + "' contains '" + CheckpointNames.TENANT_SEPARATOR
                        + "', which only the checkpoint names of tenant relays carry; name it without it and relay one"
                        + " tenant with Builder.tenant(...)");
            }
            this.log = Objects.requireNonNull(log, "log");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            this.publisher = Objects.requireNonNull(publisher, "publisher");
            this.notifier = AppendNotifier.inProcess(log.appendSignal());
        }

        /** Where wake-ups come from; appends through this process's store unless set. The relay starts and closes it. */
        public Builder appendNotifier(AppendNotifier notifier) {
            this.notifier = Objects.requireNonNull(notifier, "notifier");
            return this;
        }

        /** Locks that keep one relay of this name active across instances; none unless set. */
        public Builder locks(ExclusiveLocks locks) {
            this.locks = Objects.requireNonNull(locks, "locks");
            return this;
        }

        /**
         * Events per batch handed to the publisher, 1 to 10,000; default 500. Larger batches
         * publish faster (one read and one hand-over per batch); a crash publishes up to
         * {@link #maxBatchesInFlight} batches again, besides those acknowledged since the last
         * checkpoint save ({@link #checkpointInterval}).
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000; got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How many batches may await the publisher's acknowledgement at once, 1 to 64; default 4.
         * With more than one, the relay reads and hands over the next batch while the broker
         * acknowledges the last, which is where its speed comes from; 1 waits for each batch
         * before reading the next. A crash publishes up to this many batches again.
         */
        public Builder maxBatchesInFlight(int maxBatchesInFlight) {
            if (maxBatchesInFlight < 1 || maxBatchesInFlight > 64) {
                throw new IllegalArgumentException("maxBatchesInFlight must be between 1 and 64; got " + maxBatchesInFlight);
            }
            this.maxInFlight = maxBatchesInFlight;
            return this;
        }

        /**
         * The least time between two checkpoint saves while batches are still in flight, 0 to 1
         * minute; default {@link #DEFAULT_CHECKPOINT_INTERVAL}. Each save is a durable write on the
         * relay's thread, so saving after every acknowledged batch slows a relay that is catching
         * up; the checkpoint is still saved at once whenever nothing is in flight (the relay caught
         * up), before a retry and when it stops or pauses. A crash publishes again what was
         * acknowledged since the last save: at most this interval's worth of batches, besides those
         * in flight. {@link Duration#ZERO} saves after every acknowledged batch. With locks, the
         * holder also confirms its lock at most once per this interval (or lock poll interval, if
         * shorter) while batches flow, rather than before every batch.
         */
        public Builder checkpointInterval(Duration checkpointInterval) {
            Objects.requireNonNull(checkpointInterval, "checkpointInterval");
            if (checkpointInterval.isNegative() || checkpointInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("checkpointInterval must be between 0 and 1 minute; got " + checkpointInterval);
            }
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        /**
         * The wait after a failed publish: from {@code initial}, doubling, up to {@code max}, 20 %
         * jitter; default 100 ms to 30 s. Retries never end.
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.compareTo(Duration.ofMillis(1)) < 0 || max.compareTo(initial) < 0
                    || max.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("retryBackoff needs 1 ms <= initial <= max <= 1 hour; got " + initial
                        + " and " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** How often a live relay reads the log without a wake-up; 1 ms to 1 hour, default 1 s. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = between("pollInterval", pollInterval);
            return this;
        }

        /**
         * How often a standby tries to take the lock, and the longest the holder goes without
         * checking that it still has it (it checks at most once per checkpoint interval, when that is
         * shorter); 1 ms to 1 hour, default 1 s. With the store's detection of a
         * dead holder, it bounds how long a failover takes.
         */
        public Builder lockPollInterval(Duration lockPollInterval) {
            this.lockPollInterval = between("lockPollInterval", lockPollInterval);
            return this;
        }

        /** Relays only events of these types (stored type names); all unless set. */
        public Builder eventTypes(String... eventTypes) {
            this.eventTypes.addAll(names("eventTypes", eventTypes));
            return this;
        }

        /** Relays only events of aggregates of these types; all unless set. */
        public Builder aggregateTypes(String... aggregateTypes) {
            this.aggregateTypes.addAll(names("aggregateTypes", aggregateTypes));
            return this;
        }

        /**
         * Relays only {@code tenant}'s events (every tenant's unless set). Its checkpoint and lock are
         * then kept under the name qualified by the tenant ({@link CheckpointNames}), so relays of
         * the same name for different tenants, or for all, never share a checkpoint.
         *
         * @throws NullPointerException if {@code tenant} is null
         */
        public Builder tenant(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant must not be null; leave it unset to relay every tenant");
            return this;
        }

        /** Where the relay's threads come from (its own and its subscription's); daemon threads unless set. */
        public Builder threadFactory(ThreadFactory threads) {
            this.threads = Objects.requireNonNull(threads, "threads");
            return this;
        }

        /** The clock for checkpoint and status times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Who watches the relay's batches and lag (see {@link RelayObserver}); replaces the default,
         * {@link RelayTelemetry} on {@link GlobalOpenTelemetry} (which records nothing until an
         * OpenTelemetry SDK is installed). {@link RelayObserver#NONE} observes nothing.
         */
        public Builder observer(RelayObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Spans and metrics ({@link RelayTelemetry}) through {@code openTelemetry} rather than
         * {@link GlobalOpenTelemetry}; the relay stops reporting its gauges when it stops.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            this.observer = null;
            return this;
        }

        /**
         * Builds the relay; {@link EventRelay#start()} starts it. A builder builds one relay: its
         * append notifier serves one.
         */
        public EventRelay build() {
            return new EventRelay(this);
        }

        private static Duration between(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(what + " must be between 1 ms and 1 hour; got " + d);
            }
            return d;
        }

        private static List<String> names(String what, String... names) {
            Objects.requireNonNull(names, what);
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException(what + " must be non-blank type names; got " + java.util.Arrays.toString(names));
                }
            }
            return List.of(names);
        }
    }
}
