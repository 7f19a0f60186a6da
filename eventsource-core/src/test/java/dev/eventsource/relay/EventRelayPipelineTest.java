package dev.eventsource.relay;

import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusUnavailableException;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.lock.InMemoryExclusiveLocks;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.InMemoryCheckpointStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's pipeline: several batches on their way at once, acknowledged later on another
 * thread, some failing. Whatever the interleaving, nothing is lost, the checkpoint never passes an
 * unacknowledged event, no more batches are in flight than allowed, and every batch handed over
 * starts where the last one ended or, after a failure, right after the checkpoint.
 */
class EventRelayPipelineTest {

    record Happened(int n) implements DomainEvent {
    }

    private static final int STREAMS = 20;
    private static final int PER_STREAM = 150;

    @Test
    void batches_acknowledged_later_and_sometimes_failing_are_all_published_and_the_checkpoint_never_runs_ahead()
            throws Exception {
        InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
        List<UUID> streams = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            streams.add(UUID.randomUUID());
        }
        // Interleaved appends: each stream's events are spread over the whole log.
        for (int i = 0; i < PER_STREAM; i++) {
            for (UUID stream : streams) {
                store.appendEvents(stream, "Thing", List.of(new Happened(i)), i == 0 ? ExpectedVersion.NO_STREAM
                        : ExpectedVersion.exactly(i));
            }
        }
        long head = store.globalPosition();
        FlakyBroker broker = new FlakyBroker(4, 0.15, 40);
        WatchedCheckpoints checkpoints = new WatchedCheckpoints(broker);

        try (EventRelay relay = EventRelay.builder("pipeline", store.recordedLog().orElseThrow(), checkpoints, broker)
                .batchSize(37).maxBatchesInFlight(4).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .pollInterval(Duration.ofMillis(20)).build().start()) {
            await(() -> checkpoints.saved() == head && relay.status().state() == RelayState.LIVE);

            assertThat(broker.violations).isEmpty();
            assertThat(checkpoints.violations).isEmpty();
            assertThat(broker.failuresInjected).isPositive();
            assertThat(broker.maxInFlightSeen).isBetween(2, 4);
            assertThat(broker.written).hasSize((int) head);
            assertThat(relay.status().lagEvents()).isZero();
            assertThat(relay.status().failures()).isEqualTo(broker.failedCalls);
        } finally {
            broker.shutdown(Duration.ofSeconds(1));
        }

        // With a broker that fails every later call once one failed (as a partition's sequence does),
        // first sightings of each stream come in version order.
        Map<UUID, Integer> lastSeen = new HashMap<>();
        Set<UUID> firstSightings = new HashSet<>();
        for (RecordedEvent row : broker.sightings) {
            if (firstSightings.add(row.eventId())) {
                int previous = lastSeen.getOrDefault(row.aggregateId(), 0);
                assertThat(row.version()).as("first sighting of %s v%d", row.aggregateId(), row.version())
                        .isEqualTo(previous + 1);
                lastSeen.put(row.aggregateId(), (int) row.version());
            }
        }
        assertThat(lastSeen.values()).hasSize(STREAMS).allMatch(v -> v == PER_STREAM);
    }

    @Test
    void one_batch_in_flight_waits_for_each_acknowledgement_before_reading_on() throws Exception {
        InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
        UUID stream = UUID.randomUUID();
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(new Happened(i));
        }
        store.appendEvents(stream, "Thing", events, ExpectedVersion.NO_STREAM);
        FlakyBroker broker = new FlakyBroker(1, 0.0, 0);
        WatchedCheckpoints checkpoints = new WatchedCheckpoints(broker);

        try (EventRelay relay = EventRelay.builder("one-at-a-time", store.recordedLog().orElseThrow(), checkpoints, broker)
                .batchSize(50).maxBatchesInFlight(1).pollInterval(Duration.ofMillis(20)).build().start()) {
            await(() -> checkpoints.saved() == 500);
            assertThat(broker.maxInFlightSeen).isEqualTo(1);
            assertThat(broker.violations).isEmpty();
            assertThat(checkpoints.violations).isEmpty();
            assertThat(broker.written).hasSize(500);
        } finally {
            broker.shutdown(Duration.ofSeconds(1));
        }
    }

    /** A batch is one page: one query per batch, not one per default page of 500 rows. */
    @Test
    void reads_each_batch_as_one_page() throws Exception {
        Set<Integer> pageSizes = new ConcurrentSkipListSet<>();
        InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(new EventRegistry().register(Happened.class))
                .observer(new dev.eventsource.store.StoreObserver() {
                    @Override
                    public Observation readingPage(dev.eventsource.store.ReadOptions options, int max) {
                        pageSizes.add(max);
                        return Observation.NONE;
                    }
                }).build();
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            events.add(new Happened(i));
        }
        store.appendEvents(UUID.randomUUID(), "Thing", events, ExpectedVersion.NO_STREAM);
        FlakyBroker broker = new FlakyBroker(4, 0.0, 0);
        WatchedCheckpoints checkpoints = new WatchedCheckpoints(broker);
        try (EventRelay relay = EventRelay.builder("one-page", store.recordedLog().orElseThrow(), checkpoints, broker)
                .batchSize(1_000).pollInterval(Duration.ofMillis(20)).build().start()) {
            await(() -> checkpoints.saved() == 2_500);
            assertThat(broker.written).hasSize(2_500);
        } finally {
            broker.shutdown(Duration.ofSeconds(1));
        }
        // 1: the relay's probe for one row; anything else is a whole batch.
        assertThat(pageSizes).as("page sizes read").contains(1_000).isSubsetOf(1, 1_000);
    }

    /**
     * While catching up, the next batch is read on the relay's reader thread; a read that fails
     * there is read again from the same position, never skipped or taken twice.
     */
    @Test
    void batches_read_ahead_on_the_reader_thread_survive_failing_reads() throws Exception {
        InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            events.add(new Happened(i));
        }
        store.appendEvents(UUID.randomUUID(), "Thing", events, ExpectedVersion.NO_STREAM);
        FailingReads log = new FailingReads(store.recordedLog().orElseThrow());
        FlakyBroker broker = new FlakyBroker(4, 0.0, 0);
        WatchedCheckpoints checkpoints = new WatchedCheckpoints(broker);
        try (EventRelay relay = EventRelay.builder("read-ahead", log, checkpoints, broker).batchSize(50)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).pollInterval(Duration.ofMillis(5)).build().start()) {
            await(() -> checkpoints.saved() == 2_000);
            assertThat(broker.violations).isEmpty();
            assertThat(checkpoints.violations).isEmpty();
            assertThat(broker.written).hasSize(2_000);
            assertThat(relay.status().lastError()).contains("cannot read the log");
        } finally {
            broker.shutdown(Duration.ofSeconds(1));
        }
        assertThat(log.failedOn).as("threads a batch read failed on").anyMatch(t -> t.endsWith("-reader"));
        assertThat(broker.sightings).extracting(RecordedEvent::globalPosition).doesNotHaveDuplicates();
    }

    /**
     * While batches are in flight, the checkpoint is saved at most once per checkpoint interval;
     * once nothing is in flight it is saved at once. With a zero interval, after every batch.
     */
    @Test
    void saves_the_checkpoint_once_per_interval_while_batches_are_in_flight_and_at_once_when_none_are()
            throws Exception {
        for (Duration interval : List.of(Duration.ofMinutes(1), Duration.ZERO)) {
            InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
            List<DomainEvent> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                events.add(new Happened(i));
            }
            store.appendEvents(UUID.randomUUID(), "Thing", events, ExpectedVersion.NO_STREAM);
            GatedBroker broker = new GatedBroker();
            List<Long> saves = Collections.synchronizedList(new ArrayList<>());
            InMemoryCheckpointStore inMemory = new InMemoryCheckpointStore();
            CheckpointStore checkpoints = new CheckpointStore() {
                @Override
                public Optional<Checkpoint> find(String subscription) {
                    return inMemory.find(subscription);
                }

                @Override
                public void save(Checkpoint checkpoint) {
                    inMemory.save(checkpoint);
                    saves.add(checkpoint.position());
                }

                @Override
                public boolean reset(String subscription) {
                    return inMemory.reset(subscription);
                }

                @Override
                public List<Checkpoint> findAll() {
                    return inMemory.findAll();
                }
            };
            try (EventRelay relay = EventRelay.builder("interval", store.recordedLog().orElseThrow(), checkpoints, broker)
                    .batchSize(10).maxBatchesInFlight(4).checkpointInterval(interval).pollInterval(Duration.ofMillis(20))
                    .build().start()) {
                await(() -> broker.calls.size() == 4);
                broker.acknowledge(1);
                await(() -> relay.status().lastPublishedPosition() == 10);
                broker.acknowledge(2);
                await(() -> relay.status().lastPublishedPosition() == 30);
                if (interval.isZero()) {
                    await(() -> saves.contains(30L));
                    assertThat(saves).as("saves with a zero interval").startsWith(10L);
                } else {
                    Thread.sleep(100);   // time for a save that must not come
                    assertThat(saves).as("saves while a batch is in flight, interval " + interval).isEmpty();
                }
                broker.acknowledge(1);
                await(() -> saves.contains(40L));
            }
            assertThat(saves).as("checkpoints saved, interval " + interval).isSorted().endsWith(40L);
        }
    }

    /**
     * Confirming the lock is a round trip on PostgreSQL: while catching up, the holder confirms it
     * once per lock check interval (the shorter of the checkpoint and lock poll intervals), not
     * before every batch. With a zero checkpoint interval it still checks before every batch.
     */
    @Test
    void confirms_its_lock_once_per_interval_while_catching_up_not_before_every_batch() throws Exception {
        Map<Duration, Integer> checksByInterval = new HashMap<>();
        for (Duration interval : List.of(Duration.ofMinutes(1), Duration.ZERO)) {
            InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
            List<DomainEvent> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                events.add(new Happened(i));
            }
            store.appendEvents(UUID.randomUUID(), "Thing", events, ExpectedVersion.NO_STREAM);
            java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
            InMemoryExclusiveLocks inner = new InMemoryExclusiveLocks();
            ExclusiveLocks counted = name -> inner.tryAcquire(name).map(held -> new ExclusiveLock() {
                @Override
                public String name() {
                    return held.name();
                }

                @Override
                public boolean isHeld() {
                    checks.incrementAndGet();
                    return held.isHeld();
                }

                @Override
                public void close() {
                    held.close();
                }
            });
            FlakyBroker broker = new FlakyBroker(4, 0.0, 0);
            WatchedCheckpoints checkpoints = new WatchedCheckpoints(broker);
            try (EventRelay relay = EventRelay.builder("lock-checks", store.recordedLog().orElseThrow(), checkpoints, broker)
                    .locks(counted).batchSize(10).maxBatchesInFlight(4).checkpointInterval(interval)
                    .lockPollInterval(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).build().start()) {
                await(() -> checkpoints.saved() == 1000);
                checksByInterval.put(interval, checks.get());
                assertThat(broker.violations).isEmpty();
                assertThat(checkpoints.violations).isEmpty();
                assertThat(relay.status().lockLosses()).isZero();
            } finally {
                broker.shutdown(Duration.ofSeconds(1));
            }
        }
        assertThat(checksByInterval.get(Duration.ofMinutes(1))).as("lock checks over 100 batches, 1-minute interval")
                .isLessThanOrEqualTo(2);
        assertThat(checksByInterval.get(Duration.ZERO)).as("lock checks over 100 batches, zero interval")
                .isGreaterThanOrEqualTo(100);
    }

    /** Acknowledges its calls, in order, only when the test says so. */
    private static final class GatedBroker implements EventPublisher {
        final List<CompletableFuture<Void>> calls = Collections.synchronizedList(new ArrayList<>());
        private int acknowledged;

        @Override
        public CompletableFuture<Void> publishRows(List<RecordedEvent> rows, Function<RecordedEvent, StoredEvent> decoder) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            calls.add(ack);
            return ack;
        }

        synchronized void acknowledge(int n) {
            for (int i = 0; i < n; i++) {
                calls.get(acknowledged++).complete(null);
            }
        }

        @Override
        public void publish(List<StoredEvent> events) {
            throw new AssertionError("the relay hands rows over with publishRows");
        }

        @Override
        public BusStats stats() {
            return new BusStats(acknowledged, 0, 0, 0, 0, 0);
        }

        @Override
        public BusShutdownReport shutdown(Duration deadline) {
            return BusShutdownReport.COMPLETE;
        }
    }

    /** A log whose every fifth batch read fails, on whichever thread reads it. */
    private static final class FailingReads implements dev.eventsource.store.spi.RecordedLog {
        private final dev.eventsource.store.spi.RecordedLog delegate;
        private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        final Set<String> failedOn = new ConcurrentSkipListSet<>();

        FailingReads(dev.eventsource.store.spi.RecordedLog delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.util.stream.Stream<RecordedEvent> readRecorded(dev.eventsource.store.ReadOptions options) {
            if (options.limit().orElse(Integer.MAX_VALUE) > 1 && reads.incrementAndGet() % 5 == 0) {
                failedOn.add(Thread.currentThread().getName());
                throw new IllegalStateException("injected read failure");
            }
            return delegate.readRecorded(options);
        }

        @Override
        public dev.eventsource.store.RecordedStream readRecordedStream(dev.eventsource.store.StreamId stream, long afterVersion) {
            return delegate.readRecordedStream(stream, afterVersion);
        }

        @Override
        public long getStreamVersion(UUID aggregateId, String aggregateType) {
            return delegate.getStreamVersion(aggregateId, aggregateType);
        }

        @Override
        public boolean eventExists(UUID eventId) {
            return delegate.eventExists(eventId);
        }

        @Override
        public long globalPosition() {
            return delegate.globalPosition();
        }

        @Override
        public dev.eventsource.store.spi.EventMapper mapper() {
            return delegate.mapper();
        }

        @Override
        public dev.eventsource.store.spi.AppendSignal appendSignal() {
            return delegate.appendSignal();
        }
    }

    @Test
    void the_number_of_batches_in_flight_and_the_checkpoint_interval_are_validated() {
        InMemoryEventStore store = new InMemoryEventStore();
        FlakyBroker broker = new FlakyBroker(1, 0, 0);
        EventRelay.Builder builder = EventRelay.builder("x", store.recordedLog().orElseThrow(), new InMemoryCheckpointStore(), broker);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.maxBatchesInFlight(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 64");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.maxBatchesInFlight(65))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 65");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.checkpointInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1 minute");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.checkpointInterval(Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got PT2M");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.checkpointInterval(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("checkpointInterval");
        broker.shutdown(Duration.ZERO);
    }

    /**
     * A broker that acknowledges each call later, in call order, on its own thread; a call fails
     * at random (up to a budget), and then every call still in flight fails too, as a Kafka
     * partition refuses records after a gap in its sequence, and so does every later call until
     * one starts again at or before the failed one (the {@code publishRows} contract).
     */
    private static final class FlakyBroker implements EventPublisher {
        private final int allowedInFlight;
        private final double failureRate;
        private int failureBudget;
        private final Random random = new Random(42);
        private final ExecutorService acks = Executors.newSingleThreadExecutor();
        private final Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        /** Events written, by global position: the broker's durable content. */
        final Set<Long> written = new ConcurrentSkipListSet<>();
        final List<RecordedEvent> sightings = Collections.synchronizedList(new ArrayList<>());
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());
        volatile int maxInFlightSeen;
        volatile int failuresInjected;
        volatile long failedCalls;
        /** Position after which the next call must start, unless it restarts after the checkpoint. */
        private long expectedNext;
        private long failedFrom = Long.MAX_VALUE;
        private volatile long checkpoint;

        FlakyBroker(int allowedInFlight, double failureRate, int failureBudget) {
            this.allowedInFlight = allowedInFlight;
            this.failureRate = failureRate;
            this.failureBudget = failureBudget;
        }

        @Override
        public synchronized CompletableFuture<Void> publishRows(List<RecordedEvent> rows,
                                                                Function<RecordedEvent, StoredEvent> decoder) {
            EventPublisher.checkRows(rows);
            long first = rows.get(0).globalPosition();
            if (first > failedFrom) {
                // The publishRows contract: nothing is written ahead of a row that failed.
                expectedNext = rows.get(rows.size() - 1).globalPosition();
                return CompletableFuture.failedFuture(new BusUnavailableException("flaky", "earlier call failed", null));
            }
            failedFrom = Long.MAX_VALUE;
            inFlight.removeIf(CompletableFuture::isDone);
            if (inFlight.size() >= allowedInFlight) {
                violations.add("a call while " + inFlight.size() + " were in flight");
            }
            if (first != expectedNext + 1 && first != checkpoint + 1) {
                violations.add("a call starting at " + first + " after " + expectedNext + " (checkpoint " + checkpoint + ")");
            }
            for (int i = 1; i < rows.size(); i++) {
                if (rows.get(i).globalPosition() != rows.get(i - 1).globalPosition() + 1) {
                    violations.add("a gap inside a call at " + rows.get(i).globalPosition());
                }
            }
            expectedNext = rows.get(rows.size() - 1).globalPosition();
            CompletableFuture<Void> ack = new CompletableFuture<>();
            inFlight.add(ack);
            maxInFlightSeen = Math.max(maxInFlightSeen, inFlight.size());
            boolean fail = failureBudget > 0 && random.nextDouble() < failureRate;
            if (fail) {
                failureBudget--;
                failuresInjected++;
            }
            List<RecordedEvent> copy = List.copyOf(rows);
            // Settled one after the other in call order, as a partition writes its records in order.
            long delay = random.nextInt(2000);
            acks.execute(() -> {
                try {
                    TimeUnit.MICROSECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                settle(ack, copy, fail);
            });
            return ack;
        }

        private synchronized void settle(CompletableFuture<Void> ack, List<RecordedEvent> rows, boolean fail) {
            if (ack.isDone()) {
                return;
            }
            if (fail) {
                // This call and every later one in flight fail: nothing of them is written.
                failedCalls++;
                failedFrom = Math.min(failedFrom, rows.get(0).globalPosition());
                for (CompletableFuture<Void> f : inFlight) {
                    if (!f.isDone()) {
                        f.completeExceptionally(new BusUnavailableException("flaky", "injected failure", null));
                    }
                }
                return;
            }
            for (RecordedEvent row : rows) {
                written.add(row.globalPosition());
                sightings.add(row);
            }
            ack.complete(null);
        }

        synchronized boolean allWrittenUpTo(long position) {
            for (long p = 1; p <= position; p++) {
                if (!written.contains(p)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void publish(List<StoredEvent> events) {
            throw new AssertionError("the relay hands rows over with publishRows");
        }

        @Override
        public BusStats stats() {
            return new BusStats(written.size(), 0, 0, 0, 0, 0);
        }

        @Override
        public BusShutdownReport shutdown(Duration deadline) {
            acks.shutdownNow();
            return BusShutdownReport.COMPLETE;
        }
    }

    /** Checks, at every save, that every event up to the new checkpoint is on the broker. */
    private static final class WatchedCheckpoints implements CheckpointStore {
        private final InMemoryCheckpointStore delegate = new InMemoryCheckpointStore();
        private final FlakyBroker broker;
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());
        private volatile long saved;

        WatchedCheckpoints(FlakyBroker broker) {
            this.broker = broker;
        }

        long saved() {
            return saved;
        }

        @Override
        public Optional<Checkpoint> find(String subscription) {
            return delegate.find(subscription);
        }

        @Override
        public void save(Checkpoint checkpoint) {
            if (checkpoint.position() < saved) {
                violations.add("the checkpoint went back from " + saved + " to " + checkpoint.position());
            }
            if (!broker.allWrittenUpTo(checkpoint.position())) {
                violations.add("checkpoint " + checkpoint.position() + " saved before every event up to it was written");
            }
            delegate.save(checkpoint);
            saved = checkpoint.position();
            synchronized (broker) {
                broker.checkpoint = checkpoint.position();
            }
        }

        @Override
        public boolean reset(String subscription) {
            return delegate.reset(subscription);
        }

        @Override
        public List<Checkpoint> findAll() {
            return delegate.findAll();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after 30 s");
            }
            Thread.sleep(5);
        }
    }
}
