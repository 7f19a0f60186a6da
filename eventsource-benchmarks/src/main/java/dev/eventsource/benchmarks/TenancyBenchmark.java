package dev.eventsource.benchmarks;

import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What a tenant-scoped view ({@link TenantScopedEventStore}) costs on SQLite: single-event appends
 * to new streams and to existing ones, and reading one tenant's half of a log
 * ({@link TenantWorkload}), each against the same work on the unscoped store (events stamped with
 * the tenant by hand, {@code readAll} filtered to the tenant), in the same run. A scoped append is
 * the store's owner-checked append (the owner is checked in the write transaction), so the target
 * is a ratio near 1. {@code *HeadCheckFirst} is a view over the same store hiding that role, so it
 * runs the protocol views used before (head query, then the append): the before/after pair in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TenancyBenchmark {

    @Param({"FULL", "NORMAL"})
    String synchronous;

    private Path file;
    private SQLiteEventStore store;
    private EventStore scoped;
    private EventStore headChecked;
    private TenantWorkload work;
    private UUID[] streams;

    @Setup(Level.Trial)
    public void open() throws Exception {
        file = Files.newDatabase("tenancy");
        store = Files.store(file, synchronous);
        scoped = TenantScopedEventStore.of(store, TenantId.of(TenantWorkload.TENANT));
        headChecked = TenantScopedEventStore.of(TenantWorkload.headCheckFirst(store), TenantId.of(TenantWorkload.TENANT));
        work = TenantWorkload.create();
        streams = work.streams(store);
        work.log(store);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        Files.delete(file);
    }

    @Benchmark
    public AppendResult newStreamUnscoped() {
        return work.appendNew(store, true);
    }

    @Benchmark
    public AppendResult newStreamScoped() {
        return work.appendNew(scoped, false);
    }

    /** The view's earlier protocol: the stream's head read first, then the append expecting that version. */
    @Benchmark
    public AppendResult newStreamHeadCheckFirst() {
        return work.appendNew(headChecked, false);
    }

    @Benchmark
    public AppendResult existingStreamUnscoped() {
        return work.appendExisting(store, streams, true);
    }

    @Benchmark
    public AppendResult existingStreamScoped() {
        return work.appendExisting(scoped, streams, false);
    }

    /** The view's earlier protocol, as {@link #newStreamHeadCheckFirst}. */
    @Benchmark
    public AppendResult existingStreamHeadCheckFirst() {
        return work.appendExisting(headChecked, streams, false);
    }

    /** One tenant's events of the log, filtered by the store. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllUnscoped() {
        return TenantWorkload.readTenant(store, true);
    }

    /** The same events through the view, which also checks each one. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllScoped() {
        return TenantWorkload.readTenant(scoped, false);
    }
}
