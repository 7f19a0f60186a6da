package dev.eventsource.benchmarks;

import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.ReadOptions;
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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Reading the whole global log of {@code events} events: {@code readAll} with deserialization into
 * records, against a raw JDBC scan of the same rows reading every column (ids as the 16 bytes stored,
 * the metadata text included). {@code metadata} is what the events carry ({@link BenchLogs#METADATA}):
 * nothing, the trace context of a traced append shared per append of 100, or one of their own each.
 * {@code run.sh} also runs the library side over 1,000,000 events in a JVM limited to 64 MB of heap,
 * to show that memory stays bounded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class ReadAllBenchmark {

    @Param({"200000"})
    int events;

    @Param({"none", "traced", "distinct"})
    String metadata;

    private Path file;
    private SQLiteEventStore store;
    private Connection raw;

    @Setup(Level.Trial)
    public void open() throws Exception {
        file = Files.newDatabase("readall");
        store = Files.store(file, "NORMAL");
        BenchLogs.fill(store, events, 100, metadata);
        raw = DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        raw.close();
        store.close();
        Files.delete(file);
    }

    @Benchmark
    public long library(Blackhole bh) {
        return BenchLogs.check(BenchLogs.readAll(store, ReadOptions.builder().pageSize(1000).build(), bh), events);
    }

    @Benchmark
    public long rawJdbc(Blackhole bh) throws Exception {
        long count = 0;
        try (Statement sql = raw.createStatement();
             ResultSet rs = sql.executeQuery("SELECT global_position, event_id, aggregate_type, aggregate_id, version,"
                     + " event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload"
                     + " FROM events ORDER BY global_position")) {
            while (rs.next()) {
                bh.consume(rs.getLong(1));
                bh.consume(rs.getBytes(2));
                bh.consume(rs.getString(3));
                bh.consume(rs.getBytes(4));
                bh.consume(rs.getLong(5));
                bh.consume(rs.getString(6));
                bh.consume(rs.getInt(7));
                bh.consume(rs.getLong(8));
                bh.consume(rs.getLong(9));
                bh.consume(rs.getString(10));
                bh.consume(rs.getString(11));
                bh.consume(rs.getString(12));
                count++;
            }
        }
        return check(count);
    }

    private long check(long count) {
        return BenchLogs.check(count, events);
    }
}
