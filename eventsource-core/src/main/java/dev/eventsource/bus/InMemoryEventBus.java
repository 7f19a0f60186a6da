package dev.eventsource.bus;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.telemetry.LogContext;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-process {@link EventBus}: handlers in this JVM, no broker, nothing kept across restarts.
 *
 * <p><b>Synchronous</b> ({@code new InMemoryEventBus()}): {@code publish} calls every handler on the
 * caller's thread, event by event in list order, group by group, retries included, and returns when
 * all of them have finished: what a test or a simple application that reads its read model right
 * after a write needs. Publishers on several threads call handlers concurrently.
 *
 * <p><b>Asynchronous</b> ({@link #asynchronous()}, {@link #asynchronous(Executor)}): {@code publish}
 * queues and returns. Each group has a fixed number of lanes (default {@value #DEFAULT_LANES}); an
 * event goes to the lane its aggregate id hashes to, and a lane runs one delivery at a time, in
 * the order it was queued, on the executor. So the events of one aggregate keep their order (also
 * through retries and while members join or leave, as the lane, not the member, is fixed per
 * aggregate) and different aggregates are handled in parallel. A retry's backoff holds up its lane
 * only.
 *
 * <p>Within a group, the member for an event is picked by its aggregate id among the live members,
 * so an aggregate stays with one member while the membership is stable. A group lives as long as
 * it has a member: events queued for a group whose last member left are dropped, and events
 * published while a group has no member never reach it (no {@link BusCapability#DURABLE_GROUPS}).
 * Dead letters stay in memory until replayed or discarded.
 *
 * <p>A handler that throws (an {@link Error} too, except a {@link VirtualMachineError}) is retried per
 * its group's {@link dev.eventsource.subscription.RetryPolicy} (sleeping for the backoff on the
 * delivering thread), then dead-lettered and logged as a warning through {@link System.Logger};
 * single failed attempts are logged at debug level. Nothing of it reaches the publisher.
 *
 * <p>{@link #shutdown(Duration)} refuses new work, waits for queued and running deliveries up to the
 * deadline, then reports the unfinished ones and drops them; an asynchronous bus also interrupts
 * the handlers still running (a synchronous one leaves them to their publishers' threads). It shuts
 * down the executor only if the bus created it. Thread-safe.
 */
public final class InMemoryEventBus implements EventBus {

    /** Lanes per group of an asynchronous bus: how many aggregates one group handles at once. */
    public static final int DEFAULT_LANES = 16;

    private static final System.Logger LOG = System.getLogger(InMemoryEventBus.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Null for a synchronous bus. */
    private final Executor executor;
    /** The executor when this bus created it (and so shuts it down); else null. */
    private final ExecutorService ownedExecutor;
    private final int lanes;
    private final Clock clock;

    /** Guards {@link #groups} and {@link #deadLetters}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, BusDeadLetter> deadLetters = new LinkedHashMap<>();
    private volatile List<Group> liveGroups = List.of();

    /** Publishes hold it shared while they accept work, so shutdown's wait sees everything accepted. */
    private final ReentrantReadWriteLock accepting = new ReentrantReadWriteLock();
    private volatile boolean shutDown;
    private volatile boolean abandoned;
    private final Map<Long, Delivery> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Condition idle = lock.newCondition();

    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    /** A synchronous bus: {@code publish} returns after every handler ran. */
    public InMemoryEventBus() {
        this(null, null, DEFAULT_LANES, Clock.systemUTC());
    }

    private InMemoryEventBus(Executor executor, ExecutorService owned, int lanes, Clock clock) {
        this.executor = executor;
        this.ownedExecutor = owned;
        this.lanes = lanes;
        this.clock = clock;
    }

    /**
     * An asynchronous bus on a cached pool of daemon threads that it owns and shuts down with itself.
     */
    public static InMemoryEventBus asynchronous() {
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "eventsource-bus-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newCachedThreadPool(threads);
        return new InMemoryEventBus(pool, pool, DEFAULT_LANES, Clock.systemUTC());
    }

    /**
     * An asynchronous bus that runs deliveries on {@code executor}, with {@value #DEFAULT_LANES} lanes
     * per group. The caller owns the executor: shut the bus down before it.
     */
    public static InMemoryEventBus asynchronous(Executor executor) {
        return asynchronous(executor, DEFAULT_LANES);
    }

    /**
     * An asynchronous bus on {@code executor} with {@code lanes} lanes per group (1 keeps a group's
     * events in publish order across all aggregates, at the cost of handling them one at a time).
     *
     * @throws IllegalArgumentException if {@code lanes < 1}
     */
    public static InMemoryEventBus asynchronous(Executor executor, int lanes) {
        Objects.requireNonNull(executor, "executor must not be null; use asynchronous() for a pool the bus owns");
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be >= 1; got " + lanes);
        }
        return new InMemoryEventBus(executor, null, lanes, Clock.systemUTC());
    }

    /** True for a bus whose {@code publish} returns after every handler ran. */
    public boolean isSynchronous() {
        return executor == null;
    }

    // ---- publishing ----

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the executor given to {@link #asynchronous(Executor)} refuses work
     *                               (it was shut down before the bus); the events not yet queued are dropped
     */
    @Override
    public void publish(List<StoredEvent> events) {
        List<StoredEvent> checked = EventPublisher.checkPublishable(events);
        List<Delivery> accepted = new ArrayList<>();
        accepting.readLock().lock();
        try {
            if (shutDown) {
                throw new EventBusClosedException(toString());
            }
            List<Group> targets = liveGroups;
            for (StoredEvent event : checked) {
                for (Group group : targets) {
                    if (group.spec.selector().matches(event)) {
                        Delivery d = new Delivery(sequence.incrementAndGet(), group, event, 0);
                        pending.put(d.seq, d);
                        accepted.add(d);
                    }
                }
            }
            published.add(checked.size());
            if (executor != null) {
                for (int i = 0; i < accepted.size(); i++) {
                    try {
                        enqueue(accepted.get(i));
                    } catch (IllegalStateException refused) {
                        accepted.subList(i + 1, accepted.size()).forEach(this::finished);
                        throw refused;
                    }
                }
            }
        } finally {
            accepting.readLock().unlock();
        }
        if (executor == null) {
            accepted.forEach(this::runDelivery);
        }
    }

    private void enqueue(Delivery d) {
        d.group.lanes[Math.floorMod(d.event.aggregateId().hashCode(), lanes)].submit(d);
    }

    // ---- consuming ----

    @Override
    public BusSubscription subscribe(ConsumerGroup group, EventHandler<DomainEvent> handler) {
        Objects.requireNonNull(group, "group must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        lock.lock();
        try {
            if (shutDown) {
                throw new EventBusClosedException(toString());
            }
            Group g = groups.get(group.name());
            if (g == null) {
                g = new Group(group);
                groups.put(group.name(), g);
                liveGroups = List.copyOf(groups.values());
            } else if (!g.spec.equals(group)) {
                throw new IllegalArgumentException("consumer group '" + group.name() + "' has live members subscribed with "
                        + g.spec + "; every member of a group subscribes with the same selector and retry policy (got "
                        + group + "), or use another group name");
            }
            Member m = new Member(g, handler);
            g.members.add(m);
            return m;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<BusCapability> capabilities() {
        return Set.of();
    }

    private void leave(Member m) {
        lock.lock();
        try {
            m.group.members.remove(m);
            if (m.group.members.isEmpty() && groups.get(m.group.spec.name()) == m.group) {
                groups.remove(m.group.spec.name());
                liveGroups = List.copyOf(groups.values());
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- dead letters ----

    @Override
    public List<BusDeadLetter> deadLetters(String group) {
        lock.lock();
        try {
            return deadLetters.values().stream().filter(d -> d.group().equals(group)).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean replay(String id) {
        Delivery d;
        BusDeadLetter letter;
        accepting.readLock().lock();
        try {
            if (shutDown) {
                throw new EventBusClosedException(toString());
            }
            lock.lock();
            try {
                letter = deadLetters.get(id);
                if (letter == null) {
                    return false;
                }
                Group g = groups.get(letter.group());
                if (g == null) {
                    throw new IllegalStateException("dead letter " + id + " belongs to consumer group '" + letter.group()
                            + "', which has no live member to deliver it to; subscribe to the group, then replay");
                }
                deadLetters.remove(id);
                d = new Delivery(sequence.incrementAndGet(), g, letter.event(), letter.attempts());
                pending.put(d.seq, d);
            } finally {
                lock.unlock();
            }
            if (executor != null) {
                try {
                    enqueue(d);
                } catch (IllegalStateException refused) {
                    lock.lock();
                    try {
                        deadLetters.put(id, letter);   // not delivered, so still dead
                    } finally {
                        lock.unlock();
                    }
                    throw refused;
                }
            }
        } finally {
            accepting.readLock().unlock();
        }
        if (executor == null) {
            runDelivery(d);
        }
        return true;
    }

    @Override
    public boolean discard(String id) {
        lock.lock();
        try {
            return deadLetters.remove(id) != null;
        } finally {
            lock.unlock();
        }
    }

    private static String deadLetterId(String group, UUID eventId) {
        return group + "/" + eventId;
    }

    // ---- delivery ----

    /** Runs one delivery to the end: handled, dead-lettered, dropped (no member left) or abandoned. */
    private void runDelivery(Delivery d) {
        try {
            if (!abandoned) {
                deliver(d);
            }
        } finally {
            finished(d);
        }
    }

    private void deliver(Delivery d) {
        var policy = d.group.spec.retryPolicy();
        Throwable last = null;
        int attempt = 0;
        while (attempt < policy.maxAttempts()) {
            Member member = d.group.memberFor(d.event.aggregateId());
            if (member == null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "consumer group '" + d.group.spec.name()
                        + "' has no member left; event " + d.event.eventId() + " is dropped");
                return;
            }
            member.running.readLock().lock();
            try {
                if (!member.active) {
                    continue;   // it left between the pick and now; pick again without spending an attempt
                }
                attempt++;
                try (LogContext ignored = LogContext.group(d.group.spec.name(), d.event)) {
                    member.handler.handle(d.event.event(), d.event);
                }
                delivered.increment();
                return;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Exception | Error e) {
                if (abandoned) {
                    return;   // interrupted by shutdown: reported as undelivered, not a handler failure
                }
                failed.increment();
                last = e;
                int n = attempt;
                LOG.log(System.Logger.Level.DEBUG, () -> "attempt " + n + " of consumer group '" + d.group.spec.name()
                        + "' failed on event " + d.event.eventId(), e);
                if (policy.isPermanent(e)) {
                    break;   // retrying cannot help: dead-letter it now
                }
            } finally {
                member.running.readLock().unlock();
            }
            if (attempt < policy.maxAttempts() && !sleep(policy.delayAfter(attempt))) {
                return;   // abandoned by shutdown
            }
        }
        deadLetter(d, last, attempt);
    }

    /** Sleeps for a retry's backoff; false if the bus abandoned its work meanwhile. */
    private boolean sleep(Duration delay) {
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        } catch (InterruptedException e) {
            if (abandoned) {
                return false;
            }
            Thread.currentThread().interrupt();
        }
        return !abandoned;
    }

    private void deadLetter(Delivery d, Throwable cause, int attempts) {
        String group = d.group.spec.name();
        String id = deadLetterId(group, d.event.eventId());
        BusDeadLetter letter = new BusDeadLetter(id, group, d.event, cause.getClass().getName() + ": " + cause.getMessage(),
                d.priorAttempts + attempts, clock.instant());
        lock.lock();
        try {
            deadLetters.put(id, letter);
        } finally {
            lock.unlock();
        }
        deadLettered.increment();
        LOG.log(System.Logger.Level.WARNING, "consumer group '" + group + "' dead-lettered event " + d.event.eventId()
                + " (" + d.event.eventType() + ", aggregate " + d.event.aggregateId() + ") after " + letter.attempts()
                + " failed attempts; replay it with replay(\"" + id + "\")", cause);
    }

    private void finished(Delivery d) {
        if (pending.remove(d.seq) != null && shutDown) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- lifecycle ----

    @Override
    public BusStats stats() {
        int subscribers = 0;
        for (Group g : liveGroups) {
            subscribers += g.members.size();
        }
        return new BusStats(published.sum(), delivered.sum(), failed.sum(), deadLettered.sum(), pending.size(), subscribers);
    }

    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline must not be null");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must not be negative; got " + deadline);
        }
        accepting.writeLock().lock();
        try {
            if (shutDown) {
                return BusShutdownReport.COMPLETE;
            }
            shutDown = true;
        } finally {
            accepting.writeLock().unlock();
        }
        long end = System.nanoTime() + deadline.toNanos();
        lock.lock();
        try {
            long left;
            while (!pending.isEmpty() && (left = end - System.nanoTime()) > 0) {
                idle.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        abandoned = true;
        List<BusShutdownReport.Undelivered> undelivered = pending.values().stream()
                .sorted(Comparator.comparingLong(d -> d.seq))
                .map(d -> new BusShutdownReport.Undelivered(d.group.spec.name(), d.event))
                .toList();
        pending.clear();
        lock.lock();
        try {
            for (Group g : groups.values()) {
                g.abandon();
                g.members.forEach(m -> m.active = false);
                g.members.clear();
            }
            groups.clear();
            liveGroups = List.of();
        } finally {
            lock.unlock();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        if (!undelivered.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, this + " shut down with " + undelivered.size()
                    + " deliveries unfinished after the deadline of " + deadline);
        }
        return new BusShutdownReport(undelivered);
    }

    @Override
    public String toString() {
        return "InMemoryEventBus(" + (executor == null ? "synchronous" : "asynchronous, " + lanes + " lanes") + ")";
    }

    // ---- parts ----

    /** One event for one group; {@code priorAttempts} counts the failures of earlier deliveries (a replay). */
    private record Delivery(long seq, Group group, StoredEvent event, int priorAttempts) {
    }

    private final class Group {
        final ConsumerGroup spec;
        final List<Member> members = new CopyOnWriteArrayList<>();
        /** Null on a synchronous bus. */
        final Lane[] lanes;

        Group(ConsumerGroup spec) {
            this.spec = spec;
            if (executor == null) {
                this.lanes = null;
            } else {
                this.lanes = new Lane[InMemoryEventBus.this.lanes];
                for (int i = 0; i < this.lanes.length; i++) {
                    this.lanes[i] = new Lane();
                }
            }
        }

        /** The member for an aggregate: fixed while the membership is; null when none is left. */
        Member memberFor(UUID aggregateId) {
            Object[] live = members.toArray();
            return live.length == 0 ? null : (Member) live[Math.floorMod(aggregateId.hashCode(), live.length)];
        }

        void abandon() {
            if (lanes != null) {
                for (Lane lane : lanes) {
                    lane.abandon();
                }
            }
        }
    }

    private final class Member implements BusSubscription {
        final Group group;
        final EventHandler<DomainEvent> handler;
        /**
         * Held shared while the handler runs (lanes call it in parallel), and exclusively by
         * unsubscribe to wait for the calls in progress.
         */
        final ReentrantReadWriteLock running = new ReentrantReadWriteLock();
        volatile boolean active = true;

        Member(Group group, EventHandler<DomainEvent> handler) {
            this.group = group;
            this.handler = handler;
        }

        @Override
        public ConsumerGroup group() {
            return group.spec;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void unsubscribe() {
            if (!active) {
                return;
            }
            leave(this);
            active = false;
            if (running.getReadHoldCount() == 0) {   // from inside its own handler, waiting would wait for itself
                running.writeLock().lock();
                running.writeLock().unlock();
            }
        }
    }

    /** Runs its deliveries one at a time, in the order they were queued, on the executor. */
    private final class Lane {
        private final ReentrantLock laneLock = new ReentrantLock();
        private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
        private boolean scheduled;
        private Thread runner;

        void submit(Delivery d) {
            laneLock.lock();
            try {
                queue.add(d);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            } finally {
                laneLock.unlock();
            }
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                laneLock.lock();
                try {
                    scheduled = false;
                    queue.remove(d);
                } finally {
                    laneLock.unlock();
                }
                finished(d);
                throw new IllegalStateException("the executor of " + InMemoryEventBus.this + " refused work, so event "
                        + d.event.eventId() + " was not delivered to consumer group '" + d.group.spec.name()
                        + "'; shut the bus down before its executor", e);
            }
        }

        private void drain() {
            laneLock.lock();
            try {
                runner = Thread.currentThread();
            } finally {
                laneLock.unlock();
            }
            try {
                while (true) {
                    Delivery d;
                    laneLock.lock();
                    try {
                        d = queue.poll();
                        if (d == null) {
                            scheduled = false;
                            return;
                        }
                    } finally {
                        laneLock.unlock();
                    }
                    runDelivery(d);
                }
            } finally {
                laneLock.lock();
                try {
                    runner = null;
                    if (abandoned) {
                        Thread.interrupted();   // the interrupt was ours; do not leak it into the caller's pool
                    }
                } finally {
                    laneLock.unlock();
                }
            }
        }

        /** Drops the queue and interrupts a running handler; under the lock, so the interrupt never outlives {@link #drain}. */
        void abandon() {
            laneLock.lock();
            try {
                queue.clear();
                Thread t = runner;
                if (t != null) {
                    t.interrupt();
                }
            } finally {
                laneLock.unlock();
            }
        }
    }
}
