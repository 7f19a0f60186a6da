package dev.eventsource.subscription;

import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.telemetry.SubscriptionObserver;
import dev.eventsource.telemetry.SubscriptionTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import dev.eventsource.store.EventLookup;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.AppendSignal;
import dev.eventsource.store.spi.RecordedLog;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs named subscriptions over one event store: each catches up from the global log in batches
 * and then follows it live, on its own thread, keeping a checkpoint.
 *
 * <pre>{@code
 * try (var manager = SubscriptionManager.builder(store)
 *         .checkpoints(new SQLiteCheckpointStore(store))
 *         .deadLetters(new SQLiteDeadLetterStore(store))
 *         .build()) {
 *     manager.subscribe("notes-by-title", notesByTitle);   // a Projection
 *     ...
 * }   // close(): finishes in-flight batches and saves checkpoints
 * }</pre>
 *
 * <p>Built from a store ({@link #builder(EventStore)}) or from the roles it needs
 * ({@link #builder(RecordedLog, AppendNotifier)}: a log of stored rows and an explicit notifier,
 * as a {@code dev.eventsource.backend.EventStoreBackend} hands them out), plus a checkpoint store.
 *
 * <p><b>Wake-ups.</b> A subscription that has reached the end of the log reads again when this
 * process appends through {@code store} (an in-process notification), when the optional
 * {@link AppendNotifier} reports an append (e.g. PostgreSQL {@code LISTEN/NOTIFY}), or after the
 * poll interval, which is how writes by other processes are seen without a notifier.
 *
 * <p><b>Failures.</b> A handler that throws is retried per the subscription's {@link RetryPolicy},
 * then its event is dead-lettered and the subscription continues or stops per
 * {@link AfterDeadLetter}. A stored event this process cannot decode (its class is not registered,
 * or its JSON no longer fits the class) is dead-lettered the same way, without retries, and the
 * events around it are delivered. Each subscription has its own thread, so one failing or slow
 * subscription never holds up the others. {@link #retryDeadLetter(long)} delivers a dead letter
 * again; a subscription that handles a dead-lettered event itself (after a resume, a restart or
 * a rebuild) resolves its entry.
 *
 * <p><b>Refusals.</b> A name already registered ({@link DuplicateSubscriptionException}); a
 * {@link TransactionalProjection} without a {@link TransactionalCheckpointStore}; type filters in
 * the options of a projection that declares its own; any registration after shutdown.
 * Thread-safe. The manager never closes the event store or the checkpoint and dead-letter stores.
 */
public final class SubscriptionManager implements AutoCloseable {

    /** How long {@link #close()} waits for in-flight batches. */
    public static final Duration DEFAULT_SHUTDOWN_DEADLINE = Duration.ofSeconds(30);

    private final EventLookup head;
    private final LogEntry.Source log;
    private final CheckpointStore checkpoints;
    /** The tenant of the view this manager reads, or null; see {@link CheckpointNames}. */
    private final TenantId tenantScope;
    /** The checkpoint store when it was given as transactional; null otherwise. */
    private final TransactionalCheckpointStore transactionalCheckpoints;
    private final DeadLetterStore deadLetters;
    private final ThreadFactory threads;
    private final Duration pollInterval;
    private final ExclusiveLocks locks;
    private final Duration lockPollInterval;
    private final SubscriptionObserver observer;
    private final List<AppendNotifier> notifiers;
    private final Clock clock;
    private final Runnable wakeAll = this::wakeAll;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private volatile boolean shutDown;
    private final HealthThresholds thresholds;
    /** The drain-on-shutdown hook, or null. */
    private final Thread drainHook;

    private SubscriptionManager(Builder b) {
        this.head = b.head;
        this.log = b.log;
        this.checkpoints = b.checkpoints;
        this.tenantScope = b.tenantScope;
        this.transactionalCheckpoints = b.transactionalCheckpoints;
        this.deadLetters = b.deadLetters;
        this.threads = b.threads;
        this.pollInterval = b.pollInterval;
        this.locks = b.locks;
        this.lockPollInterval = b.lockPollInterval;
        this.observer = b.observer != null ? b.observer : new SubscriptionTelemetry(GlobalOpenTelemetry.get());
        this.clock = b.clock;
        List<AppendNotifier> all = new ArrayList<>(3);
        if (b.signal != null) {
            // Made per manager, so that one builder can build several managers, as it always could.
            all.add(AppendNotifier.inProcess(b.signal));
        }
        all.addAll(b.notifiers);
        this.notifiers = List.copyOf(all);
        for (AppendNotifier notifier : notifiers) {
            notifier.start(wakeAll);
        }
        this.thresholds = b.thresholds;
        if (b.drainDeadline != null) {
            Duration deadline = b.drainDeadline;
            drainHook = new Thread(() -> drain(deadline), "eventsource-subscriptions-drain");
            Runtime.getRuntime().addShutdownHook(drainHook);
        } else {
            drainHook = null;
        }
    }

    private void drain(Duration deadline) {
        try {
            boolean ended = shutdown(deadline);
            System.getLogger(SubscriptionManager.class.getName()).log(ended ? System.Logger.Level.INFO
                    : System.Logger.Level.WARNING, ended ? "subscriptions drained at shutdown"
                    : "subscriptions did not drain within " + deadline + "; the rest were interrupted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A builder for a manager over {@code store}: it reads the store's stored rows and wakes on its
     * in-process appends when the store offers its {@link EventStore#recordedLog()} (every built-in
     * store does); otherwise it reads {@code readAll} and wakes on its poll and on
     * {@link Builder#appendNotifier}. Defaults: in-memory checkpoints and dead letters, a poll
     * interval of 1 s, virtual threads when the JVM has them (else daemon platform threads).
     */
    public static Builder builder(EventStore store) {
        Objects.requireNonNull(store, "store");
        Builder b = store.recordedLog()
                .map(log -> new Builder(log, LogEntry.rows(log), log.appendSignal(), null))
                .orElseGet(() -> new Builder(store, LogEntry.decoded(store), null, null));
        b.tenantScope = store.tenantScope().map(TenantId::of).orElse(null);
        return b;
    }

    /**
     * A builder for a manager that reads {@code log}'s stored rows (decoding each itself, so that
     * it can dead-letter the one it cannot decode) and wakes on {@code notifier}, which it starts
     * and closes; {@link Builder#appendNotifier} adds another. A notifier serves one manager, so such
     * a builder builds one manager. Same defaults as {@link #builder(EventStore)}.
     */
    public static Builder builder(RecordedLog log, AppendNotifier notifier) {
        Objects.requireNonNull(log, "log");
        return new Builder(log, LogEntry.rows(log), null, Objects.requireNonNull(notifier, "notifier"));
    }

    /** Subscribes with the {@linkplain SubscriptionOptions#DEFAULTS default options}. */
    public Subscription subscribe(String name, Subscriber subscriber) {
        return subscribe(name, subscriber, SubscriptionOptions.DEFAULTS);
    }

    /**
     * Registers and starts a subscription. A {@link Projection}'s declared types filter what is read.
     *
     * @throws DuplicateSubscriptionException if {@code name} is taken
     * @throws IllegalArgumentException       if a projection declares types and {@code options} has some too
     * @throws IllegalStateException          after shutdown
     */
    public Subscription subscribe(String name, Subscriber subscriber, SubscriptionOptions options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Set<String> eventTypes = options.eventTypes();
        Set<String> aggregateTypes = options.aggregateTypes();
        if (subscriber instanceof Projection p) {
            eventTypes = merge(name, "event", p.eventTypes(), eventTypes);
            aggregateTypes = merge(name, "aggregate", p.aggregateTypes(), aggregateTypes);
        }
        String checkpoint = checkpointName(name, options);
        return register(name, new PlainDelivery(checkpoint, subscriber, checkpoints), options, eventTypes, aggregateTypes);
    }

    /**
     * Registers and starts a subscription whose handler takes a batch at a time (see
     * {@link BatchSubscriber}): each read batch in one call (split around events it cannot decode),
     * retried as a whole, the checkpoint saved after the call returned. Type filters come from
     * {@code options}.
     *
     * @throws DuplicateSubscriptionException if {@code name} is taken
     * @throws IllegalStateException          after shutdown
     */
    public Subscription subscribeBatches(String name, BatchSubscriber subscriber, SubscriptionOptions options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        return register(name, new BatchDelivery(name, subscriber), options, options.eventTypes(), options.aggregateTypes());
    }

    /**
     * Registers and starts a projection whose read model is updated in the checkpoint's transaction:
     * exactly-once. Batches commit as one transaction with their checkpoint; when a batch fails, its
     * events are handled one transaction each so that only the failing one is retried.
     *
     * @throws IllegalArgumentException unless the manager was built with a {@link TransactionalCheckpointStore}
     *                                  ({@link Builder#checkpoints(TransactionalCheckpointStore)})
     */
    public Subscription subscribe(String name, TransactionalProjection projection, SubscriptionOptions options) {
        Objects.requireNonNull(projection, "projection");
        if (transactionalCheckpoints == null) {
            throw new IllegalArgumentException("TransactionalProjection '" + name + "' needs a TransactionalCheckpointStore"
                    + " in the same database as its read model (SQLiteCheckpointStore, PostgreSQLCheckpointStore), given to"
                    + " the builder's checkpoints(...) as that type; this manager has " + checkpoints.getClass().getSimpleName());
        }
        return register(name, new TransactionalDelivery(checkpointName(name, options), projection, transactionalCheckpoints,
                        clock), options,
                merge(name, "event", projection.eventTypes(), options.eventTypes()),
                merge(name, "aggregate", projection.aggregateTypes(), options.aggregateTypes()));
    }

    /** The subscription registered as {@code name}. */
    public Optional<Subscription> subscription(String name) {
        lock.lock();
        try {
            return Optional.ofNullable(subscriptions.get(name));
        } finally {
            lock.unlock();
        }
    }

    /** Every registered subscription, in registration order. */
    public List<Subscription> subscriptions() {
        lock.lock();
        try {
            return List.copyOf(subscriptions.values());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops a subscription (finishing its batch and saving its checkpoint, within {@code deadline})
     * and frees its name. Its checkpoint is kept. Returns whether it stopped within the deadline.
     */
    public boolean unsubscribe(String name, Duration deadline) throws InterruptedException {
        Subscription s;
        lock.lock();
        try {
            s = subscriptions.remove(name);
        } finally {
            lock.unlock();
        }
        if (s == null) {
            throw new NoSuchElementException("no subscription named '" + name + "'; registered: " + names());
        }
        s.stop();
        boolean stopped = s.awaitEnd(deadline.toNanos());
        if (!stopped) {
            s.interrupt();
        }
        return stopped;
    }

    /**
     * Resets the projection of subscription {@code name} (its read model, then its checkpoint, in
     * one transaction for a {@link TransactionalProjection}) and replays the log into it from the
     * beginning, while the application keeps appending; it ends live and consistent. Waits for the
     * batch in progress, then returns; the replay runs on the subscription's thread.
     *
     * @throws IllegalArgumentException for a plain {@link Subscriber}, which has nothing to reset
     * @throws Exception                what the projection's reset threw; nothing was replayed
     */
    public void rebuild(String name) throws Exception {
        require(name).rebuild();
    }

    /**
     * Delivers dead letter {@code id} again to its subscription's handler, now, on the calling
     * thread (between two batches of the subscription). The event is decoded again first, so one
     * dead-lettered because its class was not registered is delivered once the class is registered
     * in the store's registry. On success the entry is resolved; on failure (decoding or handling)
     * its attempts and error are updated and it stays queued. The event arrives out of order: the
     * subscription has gone past it.
     *
     * @return whether the handler succeeded
     * @throws NoSuchElementException if there is no such entry or its subscription is not registered
     * @throws IllegalStateException  if the entry is resolved already
     */
    public boolean retryDeadLetter(long id) {
        DeadLetter letter = deadLetters.find(id)
                .orElseThrow(() -> new NoSuchElementException("no dead letter with id " + id));
        if (letter.isResolved()) {
            throw new IllegalStateException("dead letter " + id + " was resolved at " + letter.resolvedAt());
        }
        return require(letter.subscription()).retry(letter);
    }

    /**
     * {@link #retryDeadLetter(long) Retries} every unresolved dead letter of {@code subscription},
     * oldest first, each once; entries queued while it runs wait for the next call.
     *
     * @return how many were handled (and so resolved); the others stay queued with their attempts updated
     * @throws NoSuchElementException if {@code subscription} is not registered with this manager
     */
    public int retryDeadLetters(String subscription) {
        Subscription target = require(subscription);
        int handled = 0;
        long after = 0;
        while (true) {
            List<DeadLetter> page = deadLetters.query(DeadLetterQuery.all().subscription(subscription).after(after).limit(500));
            for (DeadLetter letter : page) {
                if (target.retry(letter)) {
                    handled++;
                }
            }
            if (page.size() < 500) {
                return handled;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** The dead-letter queue of this manager's subscriptions. */
    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    /** Where this manager's subscriptions keep their checkpoints. */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * Every subscription's health, and whether all are healthy (none failed or stalled, none with an
     * unresolved dead letter). Never decodes a payload.
     */
    public SubscriptionManagerHealth health() {
        List<SubscriptionHealth> all = new ArrayList<>();
        for (Subscription s : subscriptions()) {
            all.add(s.health());
        }
        return SubscriptionManagerHealth.of(all);
    }

    /**
     * Stops every subscription: each finishes the batch it is handling (retry waits are cut short),
     * saves its checkpoint and ends. Threads still running at the deadline are interrupted.
     *
     * @return whether every subscription ended within {@code deadline}
     */
    public boolean shutdown(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<Subscription> all;
        lock.lock();
        try {
            shutDown = true;
            all = List.copyOf(subscriptions.values());
        } finally {
            lock.unlock();
        }
        for (AppendNotifier notifier : notifiers) {
            notifier.close();
        }
        all.forEach(Subscription::stop);
        boolean ended = true;
        for (Subscription s : all) {
            if (!s.awaitEnd(Math.max(0, end - System.nanoTime()))) {
                s.interrupt();
                ended = false;
            }
        }
        return ended;
    }

    /**
     * Whether the subscriptions' loops are alive, for a liveness probe (a failing one restarts the
     * process): down when a loop ended on an unexpected error (not a stop, not
     * {@link AfterDeadLetter#STOP}) or has been inside one handler call or log read for
     * {@link HealthThresholds#stuckAfter()}. Lag, errors and dead letters do not make it fail: a
     * restart would not help with them. Cheap: reads no store.
     */
    public ProbeResult liveness() {
        List<String> problems = new ArrayList<>();
        for (Subscription s : subscriptions()) {
            problems.addAll(s.livenessProblems());
        }
        return new ProbeResult(problems.isEmpty(), problems.isEmpty() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY,
                problems);
    }

    /**
     * Whether this instance is ready, for a readiness probe: up while no subscription is
     * {@link HealthStatus#UNHEALTHY} (so each is caught up within the unhealthy lag thresholds and
     * running), down otherwise and once the manager is shut down. A degraded subscription leaves it
     * up, with its reasons listed. A standby of an exclusive subscription is healthy. Reads
     * {@link #health()}.
     */
    public ProbeResult readiness() {
        List<String> reasons = new ArrayList<>();
        HealthStatus worst = HealthStatus.HEALTHY;
        if (shutDown) {
            reasons.add("the subscription manager is shut down");
            worst = HealthStatus.UNHEALTHY;
        }
        for (SubscriptionHealth h : health().subscriptions()) {
            worst = worst.worst(h.status());
            if (h.status() != HealthStatus.HEALTHY) {
                reasons.addAll(h.reasons());
            }
        }
        return new ProbeResult(worst != HealthStatus.UNHEALTHY, worst, reasons);
    }

    /** {@link #shutdown} with {@link #DEFAULT_SHUTDOWN_DEADLINE}; removes a {@linkplain Builder#drainOnShutdown drain hook}. */
    @Override
    public void close() {
        if (drainHook != null && Thread.currentThread() != drainHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(drainHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down and the hook is draining already.
            }
        }
        try {
            shutdown(DEFAULT_SHUTDOWN_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** See {@link CheckpointNames}: qualified by the subscription's tenant, from its options or this manager's view. */
    private String checkpointName(String name, SubscriptionOptions options) {
        CheckpointNames.requireSubscriptionName(name);
        return CheckpointNames.of(name, CheckpointNames.tenantOf(name, options, tenantScope));
    }

    private void wakeAll() {
        for (Subscription s : subscriptions()) {
            s.wakeUp();
        }
    }

    private Subscription register(String name, Delivery delivery, SubscriptionOptions options, Set<String> eventTypes,
                                  Set<String> aggregateTypes) {
        String checkpoint = checkpointName(name, options);
        Subscription s = new Subscription(name, head, checkpoints, deadLetters, delivery, options, eventTypes,
                aggregateTypes, pollInterval, clock, log, threads);
        s.checkpointName(checkpoint);
        if (locks != null) {
            s.exclusive(locks, lockPollInterval);
        }
        s.thresholds(thresholds);
        s.observed(observer);
        lock.lock();
        try {
            if (shutDown) {
                throw new IllegalStateException("this SubscriptionManager is shut down; build a new one");
            }
            if (subscriptions.putIfAbsent(name, s) != null) {
                throw new DuplicateSubscriptionException(name);
            }
        } finally {
            lock.unlock();
        }
        s.start();
        return s;
    }

    private Subscription require(String name) {
        return subscription(name).orElseThrow(() ->
                new NoSuchElementException("no subscription named '" + name + "'; registered: " + names()));
    }

    private List<String> names() {
        return subscriptions().stream().map(Subscription::name).toList();
    }

    private static Set<String> merge(String name, String what, Set<String> declared, Set<String> options) {
        if (!declared.isEmpty() && !options.isEmpty()) {
            throw new IllegalArgumentException("projection '" + name + "' declares its " + what + " types " + declared
                    + "; do not give " + what + " types in its SubscriptionOptions too (got " + options + ")");
        }
        return declared.isEmpty() ? options : declared;
    }

    /** The JVM's virtual threads when it has them (Java 21+), else daemon platform threads. */
    static ThreadFactory defaultThreadFactory() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            AtomicInteger count = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, "eventsource-subscription-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }

    /** Configures a {@link SubscriptionManager}; every setter validates its argument at once. */
    public static final class Builder {
        private final EventLookup head;
        private final LogEntry.Source log;
        /** The store's in-process signal, for a manager built from a store; null otherwise. */
        private final AppendSignal signal;
        private CheckpointStore checkpoints = new InMemoryCheckpointStore();
        private TransactionalCheckpointStore transactionalCheckpoints;
        private DeadLetterStore deadLetters = new InMemoryDeadLetterStore();
        private ThreadFactory threads = defaultThreadFactory();
        private Duration pollInterval = Duration.ofSeconds(1);
        private ExclusiveLocks locks;
        private Duration lockPollInterval = Duration.ofSeconds(1);
        private SubscriptionObserver observer;
        private final List<AppendNotifier> notifiers = new ArrayList<>(2);
        /** Where {@link #appendNotifier}'s notifier sits in {@link #notifiers}; -1 before it is called. */
        private int extra = -1;
        private Clock clock = Clock.systemUTC();
        private HealthThresholds thresholds = HealthThresholds.DEFAULTS;
        private Duration drainDeadline;
        /** The tenant of the view the manager reads, which qualifies every checkpoint name; null for none. */
        private TenantId tenantScope;

        private Builder(EventLookup head, LogEntry.Source log, AppendSignal signal,
                        AppendNotifier notifier) {
            this.head = head;
            this.log = log;
            this.signal = signal;
            if (notifier != null) {
                notifiers.add(notifier);
            }
        }

        /**
         * Where subscriptions keep their checkpoints; in memory unless set. A
         * {@link TransactionalProjection} needs {@link #checkpoints(TransactionalCheckpointStore)}.
         */
        public Builder checkpoints(CheckpointStore checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            this.transactionalCheckpoints = null;
            return this;
        }

        /**
         * Checkpoints in the read models' database, which also lets
         * {@link SubscriptionManager#subscribe(String, TransactionalProjection, SubscriptionOptions)}
         * update a read model in the checkpoint's transaction.
         */
        public Builder checkpoints(TransactionalCheckpointStore checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            this.transactionalCheckpoints = checkpoints;
            return this;
        }

        public Builder deadLetters(DeadLetterStore deadLetters) {
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
            return this;
        }

        /** Where subscription threads come from; one long-lived thread per subscription. */
        public Builder threadFactory(ThreadFactory threads) {
            this.threads = Objects.requireNonNull(threads, "threads");
            return this;
        }

        /** How often a live subscription reads the log without a wake-up; 1 ms to 1 hour. */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.compareTo(Duration.ofMillis(1)) < 0 || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be between 1 ms and 1 hour; got " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * An extra source of wake-ups, for appends by other processes; the manager starts and closes
         * it. Calling this again replaces the extra notifier given before.
         */
        public Builder appendNotifier(AppendNotifier notifier) {
            Objects.requireNonNull(notifier, "notifier");
            if (extra >= 0) {
                notifiers.set(extra, notifier);
            } else {
                extra = notifiers.size();
                notifiers.add(notifier);
            }
            return this;
        }

        /** The clock for checkpoint and dead-letter times and lag. */
        /**
         * One active instance per subscription across the application's instances: each
         * subscription of this manager runs only while it holds the lock {@code subscription:<name>}
         * from {@code locks} (a backend's {@code locks()}: PostgreSQL session advisory locks,
         * SQLite OS file locks, in-memory). The others wait in {@link SubscriptionState#STANDBY},
         * trying again every {@link #lockPollInterval}, and take over, from the saved checkpoint,
         * when the holder stops or dies. The holder checks its lock before each batch; one that finds
         * it lost (its database session ended) drops what it had not saved and competes again. A
         * batch in flight when the lock is lost may still finish, so the next holder can see its
         * events again: at-least-once, and exactly once for a transactional projection, whose
         * checkpoint commits with its effects.
         */
        public Builder exclusive(ExclusiveLocks locks) {
            this.locks = Objects.requireNonNull(locks, "locks");
            return this;
        }

        /**
         * Spans and metrics of the subscriptions' batches ({@code docs/operations.md}): one CONSUMER
         * span per batch linked to the traces that produced its events, processed/failed/dead-lettered
         * counters, lag and DLQ-size gauges. Default: {@link SubscriptionTelemetry} on
         * {@link GlobalOpenTelemetry} (a no-op without an SDK); {@link SubscriptionObserver#NONE} turns it off.
         */
        public Builder observer(SubscriptionObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** {@link #observer} with {@link SubscriptionTelemetry} on {@code openTelemetry}. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            return observer(new SubscriptionTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry")));
        }

        /** How often a standby instance tries to take an exclusive subscription's lock; default 1 s, 1 ms to 1 hour. */
        public Builder lockPollInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("lockPollInterval must be between 1 ms and 1 hour; got " + interval);
            }
            this.lockPollInterval = interval;
            return this;
        }

        /**
         * Where each subscription's {@link SubscriptionHealth#status()} turns degraded and unhealthy,
         * and so what {@link SubscriptionManager#readiness()} and {@link SubscriptionManager#liveness()}
         * answer; {@link HealthThresholds#DEFAULTS} unless set.
         */
        public Builder healthThresholds(HealthThresholds thresholds) {
            this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
            return this;
        }

        /**
         * Drains the manager when the JVM shuts down (SIGTERM, {@code System.exit}, the end of
         * {@code main}): a shutdown hook calls {@link SubscriptionManager#shutdown(Duration)} with
         * {@code deadline}, so each subscription takes no new batch, finishes the one in flight
         * (retry waits cut short), saves its checkpoint and ends; what is still running at the
         * deadline is interrupted. {@link SubscriptionManager#close()} removes the hook. Nothing can
         * drain on {@code kill -9}: there the checkpoint strategy bounds what is delivered again.
         * Refused: a deadline that is not positive or is over 10 minutes (Kubernetes'
         * {@code terminationGracePeriodSeconds} should exceed it).
         */
        public Builder drainOnShutdown(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isZero() || deadline.isNegative() || deadline.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("drainOnShutdown deadline must be positive and at most 10 minutes; got "
                        + deadline);
            }
            this.drainDeadline = deadline;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SubscriptionManager build() {
            return new SubscriptionManager(this);
        }
    }
}
