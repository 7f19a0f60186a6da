package dev.eventsource.benchmarks;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a tenant-scoped view ({@link TenantScopedEventStore}) costs on SQLite: single-event appends
 * to new streams and to existing ones, and reading one tenant's half of a log, each against the
 * same work on the unscoped store (events stamped with the tenant by hand, {@code readAll} filtered
 * to the tenant), in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TenancyBenchmark {

    private static final int STREAMS = 100;
    private static final int LOG = 20_000;
    private static final EventMetadata ACME = EventMetadata.EMPTY.withTenantId("acme");

    @Param({"FULL", "NORMAL"})
    String synchronous;

    private Path file;
    private SQLiteEventStore store;
    private EventStore scoped;
    private List<DomainEvent> one;
    private UUID[] streams;
    private int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        file = Files.newDatabase("tenancy");
        store = Files.store(file, synchronous);
        scoped = TenantScopedEventStore.of(store, TenantId.of("acme"));
        one = List.of(BenchEvents.event(UUID.randomUUID(), 0));
        streams = new UUID[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            streams[i] = UUID.randomUUID();
            store.appendEvents(streams[i], BenchEvents.TYPE, one, ExpectedVersion.NO_STREAM, ACME);
        }
        EventMetadata globex = EventMetadata.EMPTY.withTenantId("globex");
        for (int i = 0; i < LOG / 100; i++) {
            List<DomainEvent> batch = new java.util.ArrayList<>();
            UUID order = UUID.randomUUID();
            for (int e = 0; e < 100; e++) {
                batch.add(BenchEvents.event(order, e));
            }
            store.appendEvents(order, BenchEvents.TYPE, batch, ExpectedVersion.NO_STREAM, i % 2 == 0 ? ACME : globex);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        Files.delete(file);
    }

    @Benchmark
    public AppendResult newStreamUnscoped() {
        return store.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, one, ExpectedVersion.ANY, ACME);
    }

    @Benchmark
    public AppendResult newStreamScoped() {
        return scoped.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    @Benchmark
    public AppendResult existingStreamUnscoped() {
        return store.appendEvents(streams[next++ % STREAMS], BenchEvents.TYPE, one, ExpectedVersion.ANY, ACME);
    }

    @Benchmark
    public AppendResult existingStreamScoped() {
        return scoped.appendEvents(streams[next++ % STREAMS], BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    /** One tenant's events of the log, filtered by the store. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllUnscoped() {
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().tenantId("acme").build())) {
            return events.count();
        }
    }

    /** The same events through the view, which also checks each one. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllScoped() {
        try (Stream<StoredEvent> events = scoped.readAll()) {
            return events.count();
        }
    }
}
