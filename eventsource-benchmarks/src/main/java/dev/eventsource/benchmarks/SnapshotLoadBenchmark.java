package dev.eventsource.benchmarks;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.postgresql.PostgreSQLSnapshotStore;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.sqlite.SQLiteSnapshotStore;
import dev.eventsource.store.EventStore;
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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Loading an aggregate of {@code events} events by full replay ({@link #fullReplay}) and from its
 * newest snapshot plus the events after it ({@link #fromSnapshot}), on a SQLite file and on
 * PostgreSQL. The stream was written in saves of 100 events through a repository taking a snapshot
 * every 100 events, except its last 100 events, which a repository without snapshots wrote: the
 * newest snapshot is 100 events behind the head (at 900 of 1,000, at 9,900 of 10,000), so every
 * snapshot load also replays 100 events, as many as that policy ever leaves after a snapshot.
 *
 * <p>PostgreSQL runs only when {@code EVENTSOURCE_TEST_POSTGRES_URL} names a server
 * ({@code jdbc:postgresql://host:port/db?user=...&password=...}) where the benchmark may create and
 * drop a schema; otherwise its trials fail at setup with a note saying so, and the SQLite ones run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SnapshotLoadBenchmark {

    static final String POSTGRES_URL = "EVENTSOURCE_TEST_POSTGRES_URL";
    private static final int SNAPSHOT_EVERY = 100;

    @Param({"sqlite", "postgresql"})
    String backend;

    @Param({"1000", "10000"})
    int events;

    private EventStore store;
    /** The PostgreSQL store when that is the backend, so the trial can drop its schema; null otherwise. */
    private PostgreSQLEventStore postgres;
    private Path file;
    private String schema;
    private AggregateRepository<BenchEvents.Order> replaying;
    private AggregateRepository<BenchEvents.Order> snapshotting;
    private UUID order;

    @Setup(Level.Trial)
    public void open() {
        SnapshotStore snapshots = switch (backend) {
            case "sqlite" -> sqlite();
            case "postgresql" -> postgresql();
            default -> throw new IllegalArgumentException("backend must be sqlite or postgresql; got " + backend);
        };
        order = UUID.randomUUID();
        var writer = AggregateRepository.builder(store, BenchEvents.Order::new, BenchEvents.TYPE)
                .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(SNAPSHOT_EVERY)).build();
        replaying = new AggregateRepository<>(store, BenchEvents.Order::new, BenchEvents.TYPE);
        snapshotting = AggregateRepository.builder(store, BenchEvents.Order::new, BenchEvents.TYPE).snapshots(snapshots)
                .snapshotPolicy(SnapshotPolicy.never()).build();
        int tail = SNAPSHOT_EVERY;
        write(writer, 0, events - tail);
        write(replaying, events - tail, events);
        if (!writer.awaitSnapshots(Duration.ofMinutes(1)) || writer.snapshotStats().failed() > 0) {
            throw new IllegalStateException("snapshots were not written: " + writer.snapshotStats());
        }
        BenchEvents.Order loaded = snapshotting.load(order);
        if (loaded.version() != events || snapshots.find(order, BenchEvents.TYPE).orElseThrow().version() != events - tail
                || !loaded.state().equals(replaying.load(order).state())) {
            throw new IllegalStateException("the snapshot load does not match the full replay");
        }
    }

    /** Appends events {@code from} (exclusive) to {@code to} in saves of {@value #SNAPSHOT_EVERY}. */
    private void write(AggregateRepository<BenchEvents.Order> repository, int from, int to) {
        BenchEvents.Order aggregate = from == 0 ? repository.createNew(order) : repository.load(order);
        for (int i = from; i < to; i++) {
            aggregate.add(BenchEvents.event(order, i));
            if ((i + 1) % SNAPSHOT_EVERY == 0 || i + 1 == to) {
                repository.save(aggregate);
            }
        }
    }

    private SnapshotStore sqlite() {
        try {
            file = Files.newDatabase("snapshots");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var sqlite = Files.store(file, "FULL");
        store = sqlite;
        return new SQLiteSnapshotStore(sqlite);
    }

    private SnapshotStore postgresql() {
        String url = System.getenv(POSTGRES_URL);
        if (url == null || url.isBlank()) {
            String note = "PostgreSQL skipped: set " + POSTGRES_URL + "=jdbc:postgresql://host:5432/db?user=..&password=.. to"
                    + " measure it (the benchmark creates and drops a schema of its own); or pass -p backend=sqlite";
            System.out.println(note);
            throw new IllegalStateException(note);
        }
        schema = "bench_snapshots_" + Long.toString(System.nanoTime(), 36);
        postgres = PostgreSQLEventStore.builder(url).schema(schema).maxPoolSize(2).tracing(false).build();
        postgres.initialize();
        store = postgres;
        return new PostgreSQLSnapshotStore(postgres);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (postgres != null) {
            try (Connection c = postgres.dataSource().getConnection(); Statement sql = c.createStatement()) {
                sql.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        if (store != null) {
            store.close();
        }
        if (file != null) {
            Files.delete(file);
        }
    }

    @Benchmark
    public BenchEvents.OrderState fullReplay() {
        return replaying.load(order).state();
    }

    @Benchmark
    public BenchEvents.OrderState fromSnapshot() {
        return snapshotting.load(order).state();
    }
}
