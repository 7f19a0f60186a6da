package dev.eventsource.subscription;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One running subscription of a {@link SubscriptionManager}: a thread that reads the global log
 * in batches after its position, handles each event, and saves checkpoints.
 *
 * <p><b>Catch-up and live are one loop.</b> Every batch is
 * {@code readAll(fromPosition(position), types, limit(batchSize))}. A short batch means the end
 * of the log: the subscription is {@link SubscriptionState#LIVE} and waits for a wake-up (an
 * append by this process, an {@link AppendNotifier}, or the poll interval) before it reads again
 * from the same position. No event can fall between catching up and going live because there is
 * no switch: the store's rule that a reader who has seen position p never later gets an event
 * below p makes the sequence gap-free and duplicate-free.
 *
 * <p>Obtained from {@link SubscriptionManager#subscribe}; thread-safe.
 */
public final class Subscription {

    private enum Outcome { HANDLED, DEAD_LETTERED, ABORTED }

    private final String name;
    private final EventStore store;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final Subscriber subscriber;
    private final TransactionalProjection transactional;
    private final SubscriptionOptions options;
    private final ReadOptions filter;
    private final Duration pollInterval;
    private final Clock clock;
    private final Function<StoredEvent, String> payloadJson;
    private final ThreadFactory threads;

    /** Held while a batch is read and handled, and by rebuilds and dead-letter retries, which must not interleave. */
    private final ReentrantLock work = new ReentrantLock();
    private final ReentrantLock signal = new ReentrantLock();
    private final Condition wake = signal.newCondition();
    private boolean woken;

    private volatile boolean paused;
    private volatile boolean stopping;
    private volatile SubscriptionState state = SubscriptionState.CATCHING_UP;
    private volatile long position;
    private volatile long processed;
    private volatile long failed;
    private volatile String lastError;
    private volatile Thread thread;
    private volatile boolean positioned;

    // Guarded by work.
    private long processedTotal;
    private StoredEvent lastHandled;
    private boolean dirty;
    private long lastSaveNanos = System.nanoTime();

    Subscription(String name, EventStore store, CheckpointStore checkpoints, DeadLetterStore deadLetters,
                 Subscriber subscriber, TransactionalProjection transactional, SubscriptionOptions options,
                 Set<String> eventTypes, Set<String> aggregateTypes, Duration pollInterval, Clock clock,
                 Function<StoredEvent, String> payloadJson, ThreadFactory threads) {
        this.name = name;
        this.store = store;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.subscriber = subscriber;
        this.transactional = transactional;
        this.options = options;
        ReadOptions.Builder read = ReadOptions.builder().limit(options.batchSize()).pageSize(options.batchSize());
        if (!eventTypes.isEmpty()) {
            read.eventTypes(eventTypes.toArray(String[]::new));
        }
        if (!aggregateTypes.isEmpty()) {
            read.aggregateTypes(aggregateTypes.toArray(String[]::new));
        }
        this.filter = read.build();
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.payloadJson = payloadJson;
        this.threads = threads;
    }

    public String name() {
        return name;
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
     * This subscription's state, position and lag. Reads the store's head position and, when
     * behind, the next event to handle (to know how old it is).
     */
    public SubscriptionHealth health() {
        long pos = position;
        long head = store.globalPosition();
        long lagEvents = 0;
        Duration lagTime = Duration.ZERO;
        if (head > pos) {
            try (Stream<StoredEvent> next = store.readAll(filter.toBuilder().fromPosition(pos).limit(1).build())) {
                Instant oldest = next.findFirst().map(StoredEvent::recordedAt).orElse(null);
                // Without a next event it matches, a filtered subscription has nothing left, however far the head is.
                if (oldest != null) {
                    lagEvents = head - pos;
                    if (oldest.isBefore(clock.instant())) {
                        lagTime = Duration.between(oldest, clock.instant());
                    }
                }
            }
        }
        return new SubscriptionHealth(name, state, pos, head, lagEvents, lagTime, processed, failed, lastError);
    }

    @Override
    public String toString() {
        return "Subscription[" + name + ", " + state + ", position " + position + "]";
    }

    void start() {
        stopping = false;
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
        if (transactional == null && !(subscriber instanceof Projection)) {
            throw new IllegalArgumentException("subscription '" + name + "' has a plain Subscriber, which has no read"
                    + " model to reset; implement Projection (or TransactionalProjection) to rebuild it");
        }
        work.lock();
        try {
            if (transactional != null) {
                ((TransactionalCheckpointStore) checkpoints).resetInTransaction(name, transactional::reset);
            } else {
                ((Projection) subscriber).reset();
                checkpoints.reset(name);
            }
            position = 0;
            processedTotal = 0;
            processed = 0;
            lastHandled = null;
            dirty = false;
            if (state != SubscriptionState.PAUSED) {
                state = SubscriptionState.CATCHING_UP;
            }
        } finally {
            work.unlock();
        }
        restartIfFailed();
        wakeUp();
    }

    /** Delivers a dead-lettered event again, now; resolves the entry if it is handled, else records the failure. */
    boolean retry(DeadLetter letter) {
        work.lock();
        try {
            StoredEvent event;
            try (Stream<StoredEvent> at = store.readAll(ReadOptions.builder().fromPosition(letter.globalPosition() - 1)
                    .limit(1).build())) {
                event = at.findFirst().filter(e -> e.eventId().equals(letter.eventId())).orElseThrow(() ->
                        new IllegalStateException("event " + letter.eventId() + " is no longer at position "
                                + letter.globalPosition() + " of " + store + "; resolve the dead letter by hand"));
            }
            try {
                if (transactional != null) {
                    ((TransactionalCheckpointStore) checkpoints).saveInTransaction(null, c -> transactional.handle(event, c));
                } else {
                    subscriber.handle(event);
                }
            } catch (Exception e) {
                failed++;
                lastError = describe(e);
                deadLetters.add(letter(event, e, 1));
                return false;
            }
            deadLetters.resolve(letter.id(), clock.instant());
            return true;
        } finally {
            work.unlock();
        }
    }

    private void restartIfFailed() {
        Thread t = thread;
        if (state == SubscriptionState.FAILED && (t == null || !t.isAlive())) {
            start();
        }
    }

    private void run() {
        try {
            if (!positioned) {
                // A restart after a failure goes on from where it stopped, not from the configured start.
                work.lock();
                try {
                    position = startPosition();
                    positioned = true;
                } finally {
                    work.unlock();
                }
            }
            while (!stopping) {
                if (paused) {
                    saveIfDirtyLocked();
                    state = SubscriptionState.PAUSED;
                    await();
                    continue;
                }
                boolean full;
                work.lock();
                try {
                    List<StoredEvent> batch;
                    try (Stream<StoredEvent> page = store.readAll(filter.toBuilder().fromPosition(position).build())) {
                        batch = page.collect(Collectors.toList());
                    }
                    if (!handle(batch)) {
                        state = SubscriptionState.FAILED;
                        return;
                    }
                    full = batch.size() == options.batchSize();
                    if (!full) {
                        saveIfDirty();
                    }
                    state = full ? SubscriptionState.CATCHING_UP : SubscriptionState.LIVE;
                } catch (StoreClosedException e) {
                    lastError = describe(e);
                    state = SubscriptionState.FAILED;
                    return;
                } catch (RuntimeException e) {
                    // The store or the checkpoint store failed; everything after the position is read again later.
                    lastError = describe(e);
                    full = false;
                } finally {
                    work.unlock();
                }
                if (!full) {
                    await();
                }
            }
        } catch (Throwable t) {
            lastError = describe(t);
            state = SubscriptionState.FAILED;
            if (t instanceof Error error) {
                throw error;
            }
        } finally {
            if (state != SubscriptionState.FAILED) {
                try {
                    saveIfDirtyLocked();
                } catch (RuntimeException e) {
                    lastError = describe(e);
                }
                state = SubscriptionState.STOPPED;
            }
        }
    }

    private long startPosition() {
        return switch (options.startFrom().kind()) {
            case CHECKPOINT -> checkpoints.find(name).map(c -> {
                processedTotal = c.eventsProcessed();
                return c.position();
            }).orElse(0L);
            case BEGINNING -> 0;
            case END -> store.globalPosition();
            case POSITION -> options.startFrom().position();
        };
    }

    /** Handles a batch; false if the subscription must stop on a dead letter. */
    private boolean handle(List<StoredEvent> batch) {
        if (transactional != null && batch.size() > 1 && handleInOneTransaction(batch)) {
            return true;
        }
        for (StoredEvent event : batch) {
            Outcome outcome = deliver(event);
            if (outcome == Outcome.ABORTED) {
                return true;
            }
            if (outcome == Outcome.DEAD_LETTERED && options.afterDeadLetter() == AfterDeadLetter.STOP) {
                saveIfDirty();
                return false;
            }
            advance(event, outcome == Outcome.HANDLED);
            // A transactional projection saved the checkpoint with the event; only a dead letter leaves it behind.
            dirty = transactional == null || outcome == Outcome.DEAD_LETTERED;
            if (options.checkpointStrategy().kind() == CheckpointStrategy.Kind.EVERY_EVENT) {
                saveIfDirty();
            }
        }
        CheckpointStrategy strategy = options.checkpointStrategy();
        if (strategy.kind() == CheckpointStrategy.Kind.EVERY_BATCH
                || (strategy.kind() == CheckpointStrategy.Kind.PERIODIC
                    && System.nanoTime() - lastSaveNanos >= strategy.period().toNanos())) {
            saveIfDirty();
        }
        return true;
    }

    /** The fast path of a transactional projection: the whole batch and its checkpoint in one transaction. */
    private boolean handleInOneTransaction(List<StoredEvent> batch) {
        StoredEvent last = batch.get(batch.size() - 1);
        Checkpoint after = checkpoint(last, processedTotal + batch.size());
        try {
            ((TransactionalCheckpointStore) checkpoints).saveInTransaction(after, c -> {
                for (StoredEvent event : batch) {
                    transactional.handle(event, c);
                }
            });
        } catch (Exception e) {
            // Rolled back as a whole; the event-by-event path finds the failing event and retries only it.
            return false;
        }
        for (StoredEvent event : batch) {
            advance(event, true);
        }
        lastSaveNanos = System.nanoTime();
        return true;
    }

    private Outcome deliver(StoredEvent event) {
        RetryPolicy retry = options.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            try {
                if (transactional != null) {
                    ((TransactionalCheckpointStore) checkpoints).saveInTransaction(
                            checkpoint(event, processedTotal + 1), c -> transactional.handle(event, c));
                    lastSaveNanos = System.nanoTime();
                } else {
                    subscriber.handle(event);
                }
                return Outcome.HANDLED;
            } catch (Exception e) {
                failed++;
                lastError = describe(e);
                if (attempt >= retry.maxAttempts()) {
                    deadLetters.add(letter(event, e, attempt));
                    return Outcome.DEAD_LETTERED;
                }
                if (!sleep(retry.delayAfter(attempt))) {
                    return Outcome.ABORTED;
                }
            }
        }
    }

    private void advance(StoredEvent event, boolean handled) {
        position = event.globalPosition();
        if (handled) {
            processedTotal++;
            processed++;
            lastHandled = event;
        }
    }

    private Checkpoint checkpoint(StoredEvent last, long total) {
        return new Checkpoint(name, last.globalPosition(), total, last.eventId(), last.eventType(), clock.instant());
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
        checkpoints.save(new Checkpoint(name, position, processedTotal, last == null ? null : last.eventId(),
                last == null ? null : last.eventType(), clock.instant()));
        dirty = false;
        lastSaveNanos = System.nanoTime();
    }

    private DeadLetter letter(StoredEvent event, Exception failure, int attempts) {
        Instant now = clock.instant();
        return new DeadLetter(0, name, event.eventId(), event.globalPosition(), event.eventType(), payloadJson.apply(event),
                describe(failure), stackTrace(failure), attempts, now, now, null);
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

    /** Sleeps a retry delay; false if the subscription is stopping meanwhile. */
    private boolean sleep(Duration delay) {
        long end = System.nanoTime() + delay.toNanos();
        signal.lock();
        try {
            for (long left = delay.toNanos(); left > 0 && !stopping; left = end - System.nanoTime()) {
                wake.awaitNanos(left);
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
