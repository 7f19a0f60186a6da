package dev.eventsource.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What tenant scoping costs on PostgreSQL, with and without row-level security, in one run: single
 * appends to existing and to new streams, and reading one tenant's half of a 20,000-event log
 * ({@link TenantWorkload}, as {@link TenancyBenchmark} on SQLite), four ways:
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
 * The {@code *HeadCheckFirst} variants are views over the same stores with their owner-checked
 * appends hidden ({@link TenantWorkload#headCheckFirst}): the protocol views used before the owner
 * check moved into the append, measured in the same run.
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

    private static final TenantId TENANT = TenantId.of(TenantWorkload.TENANT);
    private static final String APP_ROLE = "es_bench_app_" + Long.toString(ProcessHandle.current().pid(), 36);

    private PostgreSQLEventStore plain;
    private PostgreSQLEventStore admin;
    private HikariDataSource appPool;
    private PostgreSQLEventStore app;
    private EventStore scoped;
    private EventStore bound;
    private EventStore rls;
    private EventStore scopedHeadCheckFirst;
    private EventStore rlsHeadCheckFirst;
    private TenantWorkload work;
    private UUID[] plainStreams;
    private UUID[] rlsStreams;

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
        scopedHeadCheckFirst = TenantScopedEventStore.of(TenantWorkload.headCheckFirst(plain), TENANT);
        rlsHeadCheckFirst = TenantScopedEventStore.of(TenantWorkload.headCheckFirst(app.boundTo(TENANT)), TENANT);

        work = TenantWorkload.create();
        plainStreams = work.streams(plain);
        rlsStreams = work.streams(admin);
        work.log(plain);
        work.log(admin);
        sql("ANALYZE " + plain.schema() + "." + plain.tablePrefix() + "events", "ANALYZE " + t + "events");
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
        return work.appendExisting(plain, plainStreams, true);
    }

    @Benchmark
    public AppendResult existingStreamScoped() {
        return work.appendExisting(scoped, plainStreams, false);
    }

    /** The view's earlier protocol (head query, then the append), for a before/after pair in one run. */
    @Benchmark
    public AppendResult existingStreamScopedHeadCheckFirst() {
        return work.appendExisting(scopedHeadCheckFirst, plainStreams, false);
    }

    @Benchmark
    public AppendResult existingStreamBound() {
        return work.appendExisting(bound, rlsStreams, true);
    }

    @Benchmark
    public AppendResult existingStreamRls() {
        return work.appendExisting(rls, rlsStreams, false);
    }

    /** As {@link #existingStreamScopedHeadCheckFirst}, in row-level-security mode. */
    @Benchmark
    public AppendResult existingStreamRlsHeadCheckFirst() {
        return work.appendExisting(rlsHeadCheckFirst, rlsStreams, false);
    }

    @Benchmark
    public AppendResult newStreamUnscoped() {
        return work.appendNew(plain, true);
    }

    @Benchmark
    public AppendResult newStreamScoped() {
        return work.appendNew(scoped, false);
    }

    @Benchmark
    public AppendResult newStreamRls() {
        return work.appendNew(rls, false);
    }

    /** One tenant's events of the log, filtered by the store. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllUnscoped() {
        return TenantWorkload.readTenant(plain, true);
    }

    /** The same events through the view over the plain store. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllScoped() {
        return TenantWorkload.readTenant(scoped, false);
    }

    /** The same events through the view over the bound store, under the database's policy as well. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Measurement(iterations = 10)
    public long readAllRls() {
        return TenantWorkload.readTenant(rls, false);
    }
}
