package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;
import dev.eventsource.test.PostgresTestServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What tenant scoping costs on PostgreSQL, with and without row-level security, in one run: single
 * appends to existing and to new streams, and reading one tenant's half of a 20,000-event log,
 * four ways:
 * <ul>
 *   <li>{@code unscoped}: the plain store, events stamped with the tenant by hand, {@code readAll}
 *       filtered to the tenant (the baseline);</li>
 *   <li>{@code scoped}: a {@link TenantScopedEventStore} over the plain store;</li>
 *   <li>{@code bound}: a store of an application role (no {@code BYPASSRLS}) bound to the tenant on
 *       tables under row-level security, without a view: what the database's policies and the
 *       per-transaction binding cost;</li>
 *   <li>{@code rls}: the view over that bound store ({@code PostgreSQLBackend.forTenant}), what an
 *       application in row-level-security mode runs.</li>
 * </ul>
 * One thread; the plain and the row-level-security tables are two schemas of the same server
 * ({@code EVENTSOURCE_TEST_POSTGRES_URL}, or the one {@link PostgresTestServer} starts), dropped afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RowLevelSecurityBenchmark {

    private static final int STREAMS = 100;
    private static final int LOG = 20_000;
    private static final TenantId TENANT = TenantId.of("acme");
    private static final EventMetadata ACME = EventMetadata.EMPTY.withTenantId("acme");
    private static final String APP_ROLE = "es_bench_app_" + Long.toString(ProcessHandle.current().pid(), 36);

    private PostgreSQLEventStore plain;
    private PostgreSQLEventStore admin;
    private HikariDataSource appPool;
    private PostgreSQLEventStore app;
    private EventStore scoped;
    private EventStore bound;
    private EventStore rls;
    private List<DomainEvent> one;
    private UUID[] plainStreams;
    private UUID[] rlsStreams;
    private int next;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        plain = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(PostgresTestServer.freshSchema())
                .maxPoolSize(4).tracing(false).build();
        plain.initialize();
        admin = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(PostgresTestServer.freshSchema())
                .maxPoolSize(4).tracing(false).rowLevelSecurity(true).build();
        admin.initialize();
        String t = admin.schema() + "." + admin.tablePrefix();
        sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE + "') THEN"
                        + " CREATE ROLE " + APP_ROLE + " NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$",
                "GRANT " + APP_ROLE + " TO CURRENT_USER",
                "GRANT USAGE ON SCHEMA " + admin.schema() + " TO " + APP_ROLE,
                "GRANT SELECT, INSERT ON " + t + "events, " + t + "schema_version TO " + APP_ROLE,
                "GRANT SELECT, USAGE ON SEQUENCE " + t + "events_position_seq TO " + APP_ROLE);
        appPool = new HikariDataSource();
        appPool.setJdbcUrl(PostgresTestServer.url());
        appPool.setMaximumPoolSize(4);
        appPool.setPoolName("rls-benchmark-app");
        appPool.setConnectionInitSql("SET ROLE " + APP_ROLE);
        app = PostgreSQLEventStore.builder(appPool).schema(admin.schema()).tracing(false).rowLevelSecurity(true).build();
        app.initialize();
        scoped = TenantScopedEventStore.of(plain, TENANT);
        bound = app.boundTo(TENANT);
        rls = TenantScopedEventStore.of(app.boundTo(TENANT), TENANT);

        one = List.of(BenchEvents.event(UUID.randomUUID(), 0));
        plainStreams = streams(plain);
        rlsStreams = streams(admin);
        EventMetadata globex = EventMetadata.EMPTY.withTenantId("globex");
        for (EventStore store : List.of(plain, admin)) {
            for (int i = 0; i < LOG / 100; i++) {
                List<DomainEvent> batch = new ArrayList<>();
                UUID order = UUID.randomUUID();
                for (int e = 0; e < 100; e++) {
                    batch.add(BenchEvents.event(order, e));
                }
                store.appendEvents(order, BenchEvents.TYPE, batch, ExpectedVersion.NO_STREAM, i % 2 == 0 ? ACME : globex);
            }
        }
        sql("ANALYZE " + plain.schema() + "." + plain.tablePrefix() + "events", "ANALYZE " + t + "events");
    }

    private UUID[] streams(EventStore store) {
        UUID[] ids = new UUID[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            ids[i] = UUID.randomUUID();
            store.appendEvents(ids[i], BenchEvents.TYPE, one, ExpectedVersion.NO_STREAM, ACME);
        }
        return ids;
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        app.close();
        appPool.close();
        sql("DROP SCHEMA " + plain.schema() + " CASCADE", "DROP SCHEMA " + admin.schema() + " CASCADE");
        plain.close();
        admin.close();
    }

    @Benchmark
    public AppendResult existingStreamUnscoped() {
        return plain.appendEvents(plainStreams[next++ % STREAMS], BenchEvents.TYPE, one, ExpectedVersion.ANY, ACME);
    }

    @Benchmark
    public AppendResult existingStreamScoped() {
        return scoped.appendEvents(plainStreams[next++ % STREAMS], BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    @Benchmark
    public AppendResult existingStreamBound() {
        return bound.appendEvents(rlsStreams[next++ % STREAMS], BenchEvents.TYPE, one, ExpectedVersion.ANY, ACME);
    }

    @Benchmark
    public AppendResult existingStreamRls() {
        return rls.appendEvents(rlsStreams[next++ % STREAMS], BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    @Benchmark
    public AppendResult newStreamUnscoped() {
        return plain.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, one, ExpectedVersion.ANY, ACME);
    }

    @Benchmark
    public AppendResult newStreamScoped() {
        return scoped.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    @Benchmark
    public AppendResult newStreamRls() {
        return rls.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    /** One tenant's events of the log, filtered by the store. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllUnscoped() {
        try (Stream<StoredEvent> events = plain.readAll(ReadOptions.builder().tenantId("acme").build())) {
            return events.count();
        }
    }

    /** The same events through the view over the plain store. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllScoped() {
        try (Stream<StoredEvent> events = scoped.readAll()) {
            return events.count();
        }
    }

    /** The same events through the view over the bound store, under the database's policy as well. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllRls() {
        try (Stream<StoredEvent> events = rls.readAll()) {
            return events.count();
        }
    }
}
