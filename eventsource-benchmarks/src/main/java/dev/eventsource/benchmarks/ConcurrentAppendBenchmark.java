package dev.eventsource.benchmarks;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Single-event appends from 1, 8 and 32 threads, each to its own new stream, and 8 threads
 * contending on one stream. The library groups concurrent appends into one commit; raw JDBC gives
 * each thread its own connection and one transaction per append (what SQLite does without help),
 * into the store's own table ({@code rawJdbc_*}) and into a minimal event table
 * ({@code rawMinimal_*}, the physical limit; see {@link RawJdbc.Layout}), in the same run.
 *
 * <p>To see what grouping buys when the disk is the limit, run it with the sync cost raised
 * artificially for every writer alike: {@code LD_PRELOAD=.../libslowsync.so SLOWSYNC_MICROS=2000}
 * (see {@code src/main/c/slowsync.c}; benchmark-only, never in the library).
 * The store's appends-per-commit is printed when a trial ends.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ConcurrentAppendBenchmark {

    /** One store shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"FULL"})
        String synchronous;

        Path libraryFile;
        Path rawFile;
        Path minimalFile;
        SQLiteEventStore store;
        final UUID contended = UUID.randomUUID();

        @Setup(Level.Trial)
        public void open() throws Exception {
            libraryFile = Files.newDatabase("library");
            rawFile = Files.newDatabase("raw");
            store = Files.store(libraryFile, synchronous);
            Files.schemaOnly(rawFile);
            minimalFile = Files.newDatabase("minimal");
        }

        @TearDown(Level.Trial)
        public void close() {
            var stats = store.groupCommitStats();
            System.out.printf("%n[group commit] %d appends in %d commits = %.2f appends per commit%n",
                    stats.appends(), stats.commits(), stats.appendsPerCommit());
            System.out.printf("[raw jdbc] %d busy retries so far%n", RawJdbc.BUSY_RETRIES.get());
            store.close();
            Files.delete(libraryFile);
            Files.delete(rawFile);
            Files.delete(minimalFile);
        }
    }

    /** Each raw JDBC thread into the minimal table has its own connection too. */
    @State(Scope.Thread)
    public static class MinimalWriter {
        RawJdbc raw;

        @Setup(Level.Trial)
        public void open(Shared shared) throws Exception {
            raw = new RawJdbc(shared.minimalFile.toString(), shared.synchronous, RawJdbc.Layout.MINIMAL);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            raw.close();
        }
    }

    /** Each raw JDBC thread has its own connection, as separate writers would. */
    @State(Scope.Thread)
    public static class RawWriter {
        RawJdbc raw;

        @Setup(Level.Trial)
        public void open(Shared shared) throws Exception {
            raw = new RawJdbc(shared.rawFile.toString(), shared.synchronous);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            raw.close();
        }
    }

    private static final List<DomainEvent> ONE = List.of(BenchEvents.event(UUID.randomUUID(), 1));

    private static AppendResult appendNew(Shared s) {
        return s.store.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, ONE, ExpectedVersion.NO_STREAM);
    }

    @Benchmark
    @Threads(1)
    public AppendResult library_1_thread(Shared s) {
        return appendNew(s);
    }

    @Benchmark
    @Threads(8)
    public AppendResult library_8_threads(Shared s) {
        return appendNew(s);
    }

    @Benchmark
    @Threads(32)
    public AppendResult library_32_threads(Shared s) {
        return appendNew(s);
    }

    @Benchmark
    @Threads(8)
    public AppendResult library_8_threads_one_stream(Shared s) {
        return s.store.appendEvents(s.contended, BenchEvents.TYPE, ONE, ExpectedVersion.ANY);
    }

    @Benchmark
    @Threads(1)
    public void rawJdbc_1_thread(RawWriter w) throws Exception {
        w.raw.appendNewStream(1);
    }

    @Benchmark
    @Threads(8)
    public void rawJdbc_8_threads(RawWriter w) throws Exception {
        w.raw.appendNewStream(1);
    }

    @Benchmark
    @Threads(32)
    public void rawJdbc_32_threads(RawWriter w) throws Exception {
        w.raw.appendNewStream(1);
    }

    @Benchmark
    @Threads(8)
    public void rawJdbc_8_threads_one_stream(Shared s, RawWriter w) throws Exception {
        w.raw.appendToStream(s.contended);
    }

    @Benchmark
    @Threads(1)
    public void rawMinimal_1_thread(MinimalWriter w) throws Exception {
        w.raw.appendNewStream(1);
    }

    @Benchmark
    @Threads(8)
    public void rawMinimal_8_threads(MinimalWriter w) throws Exception {
        w.raw.appendNewStream(1);
    }

    @Benchmark
    @Threads(32)
    public void rawMinimal_32_threads(MinimalWriter w) throws Exception {
        w.raw.appendNewStream(1);
    }
}
