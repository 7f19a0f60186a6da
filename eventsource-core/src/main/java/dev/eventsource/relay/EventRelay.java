package dev.eventsource.relay;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.subscription.AfterDeadLetter;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.CheckpointStrategy;
import dev.eventsource.subscription.InMemoryDeadLetterStore;
import dev.eventsource.subscription.RetryPolicy;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionHealth;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 *   <li><em>At-least-once</em>: the relay reads batches of up to {@code batchSize} events after its
 *       checkpoint (a {@link dev.eventsource.subscription.BatchSubscriber} of the subscription
 *       machinery), calls {@link EventPublisher#publish(List)} once per batch, and saves the
 *       checkpoint past the batch only after that call returned. A crash between the two publishes
 *       the batch again: consumers de-duplicate on the event id.</li>
 *   <li><em>Order</em>: one thread publishes, batch after batch, in global position order, so the
 *       publisher sees each aggregate's events in version order (and all events in log order).</li>
 *   <li><em>No skipping</em>: a publish that fails is retried with exponential backoff
 *       ({@link Builder#retryBackoff}) without end; nothing after the batch is published meanwhile and
 *       the checkpoint stays. A relay never dead-letters. An event this process cannot decode (its
 *       class is not registered here) stops the relay in {@link RelayState#FAILED} before it;
 *       register the class and {@link #resume()}.</li>
 *   <li><em>One active relay per name</em>: given {@link ExclusiveLocks} (a backend's
 *       {@link EventStoreBackend#locks()}), the relay publishes only while it holds the lock
 *       {@code "relay:<name>"}; other instances wait in {@link RelayState#STANDBY} and try again every
 *       {@link Builder#lockPollInterval}. The holder checks the lock before every batch and at every
 *       lock poll; once it is lost (on PostgreSQL, its session ended) it stops publishing, saves
 *       nothing more, and competes for the lock again. Without locks, nothing stops two relays of one
 *       name in two processes from both publishing.</li>
 * </ul>
 *
 * <p>The checkpoint is kept in the given {@link CheckpointStore} under {@code "relay:<name>"}. The
 * relay never closes the publisher, the store or the checkpoint store. Thread-safe.
 */
public final class EventRelay implements AutoCloseable {

    /** How long {@link #close()} waits for the batch in flight. */
    public static final Duration DEFAULT_SHUTDOWN_DEADLINE = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(EventRelay.class.getName());

    private final String name;
    private final String key;
    private final RecordedLog log;
    private final CheckpointStore checkpoints;
    private final EventPublisher publisher;
    private final ExclusiveLocks locks;
    private final Duration lockPollInterval;
    private final SubscriptionOptions options;
    private final ThreadFactory threads;
    private final Clock clock;
    private final SubscriptionManager manager;

    private final ReentrantLock control = new ReentrantLock();
    private final Condition wake = control.newCondition();
    private boolean woken;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean paused;
    private volatile Thread supervisor;
    private volatile ExclusiveLock lock;
    private volatile Subscription subscription;

    private volatile long lastPublishedPosition = -1;
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
        this.key = "relay:" + b.name;
        this.log = b.log;
        this.checkpoints = b.checkpoints;
        this.publisher = b.publisher;
        this.locks = b.locks;
        this.lockPollInterval = b.lockPollInterval;
        this.threads = b.threads;
        this.clock = b.clock;
        SubscriptionOptions.Builder o = SubscriptionOptions.builder()
                .startFrom(StartFrom.CHECKPOINT)
                .batchSize(b.batchSize)
                .checkpointStrategy(CheckpointStrategy.EVERY_BATCH)
                .retryPolicy(RetryPolicy.forever(b.initialBackoff, b.maxBackoff))
                .afterDeadLetter(AfterDeadLetter.STOP);
        if (!b.eventTypes.isEmpty()) {
            o.eventTypes(b.eventTypes.toArray(String[]::new));
        }
        if (!b.aggregateTypes.isEmpty()) {
            o.aggregateTypes(b.aggregateTypes.toArray(String[]::new));
        }
        this.options = o.build();
        SubscriptionManager.Builder m = SubscriptionManager.builder(b.log, b.notifier)
                .checkpoints(b.checkpoints)
                .deadLetters(new InMemoryDeadLetterStore())
                .pollInterval(b.pollInterval)
                .clock(b.clock);
        if (b.threads != null) {
            m.threadFactory(b.threads);
        }
        this.manager = m.build();
    }

    /**
     * A relay named {@code name} that reads {@code log}, keeps its checkpoint in
     * {@code checkpoints} and publishes to {@code publisher}. It wakes on appends through this
     * process's store; give {@link Builder#appendNotifier} for other processes' appends (or use
     * {@link #builder(String, EventStoreBackend, EventPublisher)}), and {@link Builder#locks} for one
     * active relay across instances.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank or has surrounding blanks
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
            Thread t = (threads != null ? threads : (ThreadFactory) r -> {
                Thread d = new Thread(r);
                d.setDaemon(true);
                return d;
            }).newThread(this::supervise);
            t.setName("eventsource-relay-" + name);
            supervisor = t;
            t.start();
        } finally {
            control.unlock();
        }
        return this;
    }

    /**
     * Stops publishing after the batch in flight (a retry wait is cut short) and saves the
     * checkpoint; returns at once. A paused relay keeps its lock.
     */
    public void pause() {
        paused = true;
        Subscription s = subscription;
        if (s != null) {
            s.pause();
        }
    }

    /** Resumes a paused relay, or restarts a {@link RelayState#FAILED} one from its checkpoint. */
    public void resume() {
        paused = false;
        Subscription s = subscription;
        if (s != null) {
            s.resume();
        }
    }

    /** The relay's state, position, lag and failures; reads the store's head and, when behind, one row. */
    public RelayStatus status() {
        Subscription s = subscription;
        ExclusiveLock held = lock;
        boolean holds = locks == null ? started && !closed : held != null && !closed;
        long head = log.globalPosition();
        long position = lastPublishedPosition();
        long lag;
        RelayState state;
        if (s != null && holds) {
            SubscriptionHealth health = s.health();
            lag = health.lagEvents();
            state = switch (health.state()) {
                case CATCHING_UP -> consecutiveFailures.get() > 0 ? RelayState.RETRYING : RelayState.CATCHING_UP;
                case LIVE -> consecutiveFailures.get() > 0 ? RelayState.RETRYING : RelayState.LIVE;
                case STALLED -> RelayState.STALLED;
                case PAUSED -> RelayState.PAUSED;
                case FAILED -> RelayState.FAILED;
                case STOPPED -> closed ? RelayState.STOPPED : RelayState.STANDBY;
                case STANDBY -> RelayState.STANDBY;
            };
            if ((state == RelayState.FAILED || state == RelayState.STALLED) && health.lastError() != null) {
                return new RelayStatus(name, state, holds, position, head, lag, publishedEvents.get(),
                        publishedBatches.get(), failures.get(), consecutiveFailures.get(), health.lastError(),
                        lastErrorAt, lastPublishedAt, lockLosses.get());
            }
        } else {
            lag = Math.max(0, head - position);
            state = closed ? RelayState.STOPPED : !started ? RelayState.NEW : paused ? RelayState.PAUSED : RelayState.STANDBY;
        }
        return new RelayStatus(name, state, holds, position, head, lag, publishedEvents.get(), publishedBatches.get(),
                failures.get(), consecutiveFailures.get(), lastError, lastErrorAt, lastPublishedAt, lockLosses.get());
    }

    /**
     * Stops publishing (the batch in flight finishes within {@code deadline}, or is interrupted and
     * published again by the next holder), saves the checkpoint, releases the lock. Idempotent.
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
            ended = !t.isAlive();
        }
        if (!started || !ended) {
            ended &= manager.shutdown(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            releaseLock();
        }
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

    /** The relay's thread: takes the lock, runs the subscription while the lock holds, and gives up on close. */
    private void supervise() {
        try {
            while (!closed) {
                if (locks != null && lock == null && !acquire()) {
                    await(lockPollInterval);
                    continue;
                }
                if (subscription == null) {
                    lastPublishedPosition = -1;
                    Subscription s = manager.subscribeBatches(key, this::publish, options);
                    subscription = s;
                    if (paused) {
                        s.pause();
                    }
                }
                await(lockPollInterval);
                ExclusiveLock held = lock;
                if (!closed && held != null && !held.isHeld()) {
                    LOG.log(System.Logger.Level.WARNING, "relay ''{0}'' lost its lock; it stops publishing", name);
                    stopSubscription(DEFAULT_SHUTDOWN_DEADLINE);
                    releaseLock();
                    recordError("lost the lock '" + key + "' (its session ended); stopped publishing, competing for it again");
                    // Counted once the relay has stopped, so that whoever sees the count sees a standby.
                    lockLosses.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            recordError(describe(e));
            LOG.log(System.Logger.Level.ERROR, "relay '" + name + "' stopped on an unexpected failure", e);
        } finally {
            try {
                manager.shutdown(DEFAULT_SHUTDOWN_DEADLINE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            subscription = null;
            releaseLock();
        }
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

    private void stopSubscription(Duration deadline) throws InterruptedException {
        if (subscription != null) {
            subscription = null;
            manager.unsubscribe(key, deadline);
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

    /** The batch handler: publishes while the lock holds; returning lets the subscription save the checkpoint. */
    private void publish(List<StoredEvent> events) {
        ExclusiveLock held = lock;
        if (locks != null && (held == null || !held.isHeld())) {
            wakeSupervisor();
            throw new IllegalStateException("relay '" + name + "' no longer holds its lock '" + key
                    + "'; another instance may be publishing; this one stops");
        }
        try {
            publisher.publish(events);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            consecutiveFailures.incrementAndGet();
            recordError("publishing " + events.size() + " events from global position " + events.get(0).globalPosition()
                    + " failed: " + describe(e) + "; retrying with backoff, nothing after them is published meanwhile");
            throw e;
        }
        consecutiveFailures.set(0);
        lastPublishedPosition = events.get(events.size() - 1).globalPosition();
        lastPublishedAt = clock.instant();
        publishedEvents.addAndGet(events.size());
        publishedBatches.incrementAndGet();
    }

    private void recordError(String error) {
        lastError = error;
        lastErrorAt = clock.instant();
    }

    private void wakeSupervisor() {
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
            long left = timeout.toNanos();
            while (!woken && !closed && left > 0) {
                left = wake.awaitNanos(left);
            }
            woken = false;
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
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration lockPollInterval = Duration.ofSeconds(1);
        private final Set<String> eventTypes = new LinkedHashSet<>();
        private final Set<String> aggregateTypes = new LinkedHashSet<>();
        private ThreadFactory threads;
        private Clock clock = Clock.systemUTC();

        private Builder(String name, RecordedLog log, CheckpointStore checkpoints, EventPublisher publisher) {
            this.name = ExclusiveLocks.checkName(name);
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
         * Events per {@code publish} call and per checkpoint, 1 to 10,000; default 500. Larger batches
         * publish faster (one checkpoint write and one broker acknowledgement per batch); a crash
         * publishes up to one batch again.
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000; got " + batchSize);
            }
            this.batchSize = batchSize;
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
         * How often a standby tries to take the lock, and the holder checks that it still has it
         * (besides before every batch); 1 ms to 1 hour, default 1 s. With the store's detection of a
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
