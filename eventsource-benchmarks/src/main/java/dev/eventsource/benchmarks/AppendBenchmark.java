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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One thread appending a batch of {@code batch} events to a new stream per operation: the library
 * against two raw JDBC baselines inserting the same events in one transaction with the same
 * durability, in the same run: into the store's own table ({@code rawJdbc}, the library's overhead)
 * and into a minimal event table ({@code rawJdbcMinimal}, the physical limit; see {@link RawJdbc.Layout}).
 * Throughput is appends per second; multiply by {@code batch} for events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AppendBenchmark {

    @Param({"1", "10", "100", "1000"})
    int batch;

    @Param({"FULL"})
    String synchronous;

    private Path libraryFile;
    private Path rawFile;
    private SQLiteEventStore store;
    private RawJdbc raw;
    private Path minimalFile;
    private RawJdbc minimal;
    private List<DomainEvent> events;

    @Setup(Level.Trial)
    public void open() throws Exception {
        libraryFile = Files.newDatabase("library");
        rawFile = Files.newDatabase("raw");
        store = Files.store(libraryFile, synchronous);
        Files.schemaOnly(rawFile);
        raw = new RawJdbc(rawFile.toString(), synchronous);
        minimalFile = Files.newDatabase("minimal");
        minimal = new RawJdbc(minimalFile.toString(), synchronous, RawJdbc.Layout.MINIMAL);
        UUID order = UUID.randomUUID();
        events = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            events.add(BenchEvents.event(order, i));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        raw.close();
        minimal.close();
        Files.delete(libraryFile);
        Files.delete(rawFile);
        Files.delete(minimalFile);
    }

    @Benchmark
    public AppendResult library() {
        return store.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, events, ExpectedVersion.NO_STREAM);
    }

    @Benchmark
    public void rawJdbc() throws Exception {
        raw.appendNewStream(batch);
    }

    @Benchmark
    public void rawJdbcMinimal() throws Exception {
        minimal.appendNewStream(batch);
    }
}
