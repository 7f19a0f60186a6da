package dev.eventsource.benchmarks;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.ReadOptions;
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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@link ReadAllBenchmark} on PostgreSQL: {@code readAll} of {@code events} events with
 * deserialization into records (pages of 1,000), against a raw JDBC scan of the same rows and the
 * same twelve columns (the JSON columns as text, as the store selects them), each read with its
 * natural getter ({@code getObject(i, UUID.class)}, {@code getObject(i, OffsetDateTime.class)},
 * {@code getString}, ...), through a cursor fetching 1,000 rows at a time.
 *
 * <p>The log is written once per trial with one {@code INSERT ... SELECT} of the payload JSON the
 * library writes for {@link BenchEvents#event}, 100 events per stream, with the metadata of
 * {@link BenchLogs#METADATA} ({@link BenchLogs#metadataSql}). PostgreSQL is the server of
 * {@code EVENTSOURCE_TEST_POSTGRES_URL}, or the one {@link PostgresTestServer} starts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class PostgreSQLReadAllBenchmark {

    @Param({"200000"})
    int events;

    @Param({"none", "traced", "distinct"})
    String metadata;

    private String schema;
    private PostgreSQLEventStore store;
    private Connection raw;

    @Setup(Level.Trial)
    public void open() throws Exception {
        schema = PostgresTestServer.freshSchema();
        store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema).maxPoolSize(2).tracing(false)
                .eventRegistry(new EventRegistry().register(BenchEvents.ItemAdded.class)).build();
        store.initialize();
        raw = DriverManager.getConnection(PostgresTestServer.url());
        try (PreparedStatement seed = raw.prepareStatement("INSERT INTO " + schema + ".eventsource_events (event_id,"
                + " aggregate_type, aggregate_id, version, event_type, schema_version, occurred_at, recorded_at, tenant_id,"
                + " metadata, payload) SELECT gen_random_uuid(), 'Order', md5((g / 100)::text)::uuid, g % 100 + 1,"
                + " 'ItemAdded', 1, now(), now(), NULL, " + BenchLogs.metadataSql(metadata) + ", ?::jsonb"
                + " FROM generate_series(0, ? - 1) AS g")) {
            seed.setString(1, BenchEvents.json(UUID.randomUUID(), 1));
            seed.setInt(2, events);
            seed.executeUpdate();
        }
        try (Statement sql = raw.createStatement()) {
            sql.execute("VACUUM ANALYZE " + schema + ".eventsource_events");
        }
        raw.setAutoCommit(false);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        raw.rollback();
        raw.setAutoCommit(true);
        try (Statement sql = raw.createStatement()) {
            sql.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        raw.close();
        store.close();
    }

    @Benchmark
    public long library(Blackhole bh) {
        return BenchLogs.check(BenchLogs.readAll(store, ReadOptions.builder().pageSize(1000).build(), bh), events);
    }

    @Benchmark
    public long rawJdbc(Blackhole bh) throws Exception {
        long count = 0;
        try (PreparedStatement sql = raw.prepareStatement("SELECT global_position, event_id, aggregate_type, aggregate_id,"
                + " version, event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata::text, payload::text"
                + " FROM " + schema + ".eventsource_events ORDER BY global_position")) {
            sql.setFetchSize(1000);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    bh.consume(rs.getLong(1));
                    bh.consume(rs.getObject(2, UUID.class));
                    bh.consume(rs.getString(3));
                    bh.consume(rs.getObject(4, UUID.class));
                    bh.consume(rs.getLong(5));
                    bh.consume(rs.getString(6));
                    bh.consume(rs.getInt(7));
                    bh.consume(rs.getObject(8, OffsetDateTime.class));
                    bh.consume(rs.getObject(9, OffsetDateTime.class));
                    bh.consume(rs.getString(10));
                    bh.consume(rs.getString(11));
                    bh.consume(rs.getString(12));
                    count++;
                }
            }
        }
        raw.commit();
        return check(count);
    }

    private long check(long count) {
        return BenchLogs.check(count, events);
    }
}
