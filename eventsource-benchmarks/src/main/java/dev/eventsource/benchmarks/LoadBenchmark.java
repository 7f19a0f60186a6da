package dev.eventsource.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.spi.EventMapper;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Loading an aggregate of {@code events} events through the repository, against raw JDBC selecting
 * the same rows and deserializing their payloads with the same Jackson configuration: reading only
 * the payload column ({@code rawJdbcPlusJackson}), and reading every column the library's envelope
 * holds ({@code rawJdbcEnvelopePlusJackson}, the same work without the library).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LoadBenchmark {

    @Param({"10", "100", "1000"})
    int events;

    private Path file;
    private SQLiteEventStore store;
    private AggregateRepository<BenchEvents.Order> repository;
    private UUID order;
    private Connection raw;
    private PreparedStatement select;
    private final ObjectMapper json = EventMapper.defaultObjectMapper();

    @Setup(Level.Trial)
    public void open() throws Exception {
        file = Files.newDatabase("load");
        store = Files.store(file, "FULL");
        order = UUID.randomUUID();
        List<DomainEvent> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            batch.add(BenchEvents.event(order, i));
        }
        store.appendEvents(order, BenchEvents.TYPE, batch, ExpectedVersion.NO_STREAM);
        repository = new AggregateRepository<>(store, BenchEvents.Order::new, BenchEvents.TYPE);
        raw = DriverManager.getConnection("jdbc:sqlite:" + file);
        // What a plain JDBC application writes: the store's stream read, columns and order, with nothing of the library.
        select = raw.prepareStatement("SELECT global_position, event_id, version, event_type, schema_version, occurred_at,"
                + " recorded_at, tenant_id, metadata, payload FROM events WHERE aggregate_type = ? AND aggregate_id = ?"
                + " AND version > ? ORDER BY version");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        raw.close();
        store.close();
        Files.delete(file);
    }

    @Benchmark
    public BenchEvents.OrderState library() {
        return repository.load(order).state();
    }

    @Benchmark
    public BenchEvents.OrderState rawJdbcPlusJackson() throws Exception {
        int lines = 0;
        long quantity = 0;
        try (ResultSet rs = streamRows()) {
            while (rs.next()) {
                BenchEvents.ItemAdded e = json.readValue(rs.getString("payload"), BenchEvents.ItemAdded.class);
                lines++;
                quantity += e.quantity();
            }
        }
        return checked(lines, quantity);
    }

    /**
     * The same query reading every column the library's envelope holds (position, id, version, type,
     * schema version, times, tenant, metadata, payload), as a plain application would to keep them,
     * and decoding the payload: the same rows and columns the library reads, nothing of the library.
     */
    @Benchmark
    public BenchEvents.OrderState rawJdbcEnvelopePlusJackson(Blackhole bh) throws Exception {
        int lines = 0;
        long quantity = 0;
        try (ResultSet rs = streamRows()) {
            while (rs.next()) {
                bh.consume(rs.getLong(1));
                bh.consume(rs.getBytes(2));
                bh.consume(rs.getLong(3));
                bh.consume(rs.getString(4));
                bh.consume(rs.getInt(5));
                bh.consume(rs.getLong(6));
                bh.consume(rs.getLong(7));
                bh.consume(rs.getString(8));
                bh.consume(rs.getString(9));
                BenchEvents.ItemAdded e = json.readValue(rs.getString(10), BenchEvents.ItemAdded.class);
                lines++;
                quantity += e.quantity();
            }
        }
        return checked(lines, quantity);
    }

    /** The raw stream query, bound to the benchmark's aggregate, executed. */
    private ResultSet streamRows() throws Exception {
        select.setString(1, BenchEvents.TYPE);
        select.setBytes(2, RawJdbc.bytes(order));
        select.setLong(3, 0);
        return select.executeQuery();
    }

    private BenchEvents.OrderState checked(int lines, long quantity) {
        if (lines != events) {
            throw new IllegalStateException("raw JDBC read " + lines + " events of the stream, expected " + events);
        }
        return new BenchEvents.OrderState(lines, quantity);
    }
}
