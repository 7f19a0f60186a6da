package dev.eventsource.benchmarks;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import dev.eventsource.store.EventIds;
import java.util.concurrent.TimeUnit;

/**
 * Appends to new streams on PostgreSQL: one thread with batches of 1 and 100 events, and 8 threads
 * with single events, the library ({@code appendEvents} with {@code NO_STREAM}) against two raw JDBC
 * baselines in the same fork: the same rows into the same table ({@code rawJdbc*}, the library's
 * overhead) and into a minimal event table ({@code rawMinimal*}, the physical limit; see
 * {@link MinimalWriter}). 1, 8 and 32 writers. Throughput is appends per second.
 *
 * <p>Raw JDBC is one autocommit statement per append, so one transaction and one round trip: a
 * multi-row insert of pre-serialized JSON, preceded in the same statement by the schema's
 * {@code announce_writer()}, which every writer must call for readers' gap-safe global order (the
 * store's append calls it too). It reads no stream version: the stream is new and the unique
 * constraints would catch a clash. Each raw thread has its own {@link DriverManager} connection;
 * the library's pool has 8 connections.
 *
 * <p>PostgreSQL is the server named by {@code EVENTSOURCE_TEST_POSTGRES_URL}, or otherwise the one
 * {@link PostgresTestServer} starts for this fork (with {@code fsync=off}); each trial works in a
 * schema of its own that is dropped afterwards. The server's durability settings are printed at
 * the start of each trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class PostgreSQLAppendBenchmark {

    /** The store and the schema of one trial, shared by its threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"1", "100"})
        int batch;

        String schema;
        PostgreSQLEventStore store;
        List<DomainEvent> events;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            schema = PostgresTestServer.freshSchema();
            store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema).maxPoolSize(8)
                    .tracing(false).build();
            store.initialize();
            try (Connection c = store.dataSource().getConnection(); Statement sql = c.createStatement()) {
                sql.execute(String.format(MinimalWriter.TABLE, schema));
            }
            try (Connection c = store.dataSource().getConnection(); Statement sql = c.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
                         + " current_setting('server_version')")) {
                rs.next();
                System.out.printf("%n[postgresql %s] fsync=%s synchronous_commit=%s%n", rs.getString(3), rs.getString(1),
                        rs.getString(2));
            }
            UUID order = UUID.randomUUID();
            events = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                events.add(BenchEvents.event(order, i));
            }
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            BenchLogs.dropSchema(store, schema);
            store.close();
        }
    }

    /** What both raw writers are: a connection of their own and one prepared multi-row insert of {@code batch} rows. */
    abstract static class RawConnection {
        Connection connection;
        PreparedStatement insert;
        String payload;
        int batch;

        /** Connects and prepares {@code head} followed by {@code batch} copies of {@code row}. */
        void open(Shared shared, String head, String row) throws SQLException {
            batch = shared.batch;
            connection = DriverManager.getConnection(PostgresTestServer.url());
            connection.setAutoCommit(true);
            insert = connection.prepareStatement(head + String.join(", ", Collections.nCopies(batch, row)) + tail());
            payload = BenchEvents.json(UUID.randomUUID(), 1);
        }

        /** What follows the rows in the statement. */
        String tail() {
            return "";
        }

        /** One autocommit transaction appending {@code batch} rows to a new stream. */
        void appendNewStream() throws SQLException {
            UUID stream = UUID.randomUUID();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            int p = 1;
            for (int i = 0; i < batch; i++) {
                p = bind(p, stream, i + 1, now);
            }
            if (insert.executeUpdate() != batch) {
                throw new IllegalStateException(getClass().getSimpleName() + " wrote a different number of rows than " + batch);
            }
        }

        /** Binds one row from parameter {@code p} on; returns the next parameter's index. */
        abstract int bind(int p, UUID stream, long version, OffsetDateTime now) throws SQLException;

        void close() throws SQLException {
            connection.close();
        }
    }

    /** A raw writer into our own table: the store's columns, preceded by {@code announce_writer()} as every writer must. */
    @State(Scope.Thread)
    public static class RawWriter extends RawConnection {
        private static final String ROW = "(?::uuid, ?, ?::uuid, ?::bigint, ?, ?::int, ?::timestamptz, ?::timestamptz,"
                + " ?::text, ?::jsonb, ?::jsonb)";

        @Setup(Level.Trial)
        public void open(Shared shared) throws SQLException {
            // The CTE must be referenced, or PostgreSQL would not run it; MATERIALIZED runs it before any position is taken.
            String names = shared.schema + "." + shared.store.tablePrefix();
            open(shared, "WITH writer AS MATERIALIZED (SELECT " + names + "announce_writer())"
                    + " INSERT INTO " + names + "events (event_id, aggregate_type, aggregate_id, version, event_type,"
                    + " schema_version, occurred_at, recorded_at, tenant_id, metadata, payload)"
                    + " SELECT v.* FROM writer, (VALUES ", ROW);
        }

        @Override
        String tail() {
            return ") AS v";
        }

        @Override
        int bind(int p, UUID stream, long version, OffsetDateTime now) throws SQLException {
            insert.setObject(p++, EventIds.next());
            insert.setString(p++, BenchEvents.TYPE);
            insert.setObject(p++, stream);
            insert.setLong(p++, version);
            insert.setString(p++, "ItemAdded");
            insert.setInt(p++, 1);
            insert.setObject(p++, now);
            insert.setObject(p++, now);
            insert.setNull(p++, java.sql.Types.VARCHAR);
            insert.setString(p++, BenchEvents.EMPTY_METADATA);
            insert.setString(p++, payload);
            return p;
        }

        @TearDown(Level.Trial)
        @Override
        public void close() throws SQLException {
            super.close();
        }
    }

    /**
     * A raw writer into the least an event log can be (the physical limit): a position from an
     * identity column, stream id, version, type, payload and time, {@code UNIQUE (stream, version)};
     * no event id, no other index, no writer announcement. Same multi-row autocommit insert.
     */
    @State(Scope.Thread)
    public static class MinimalWriter extends RawConnection {
        static final String TABLE = "CREATE TABLE IF NOT EXISTS %s.minimal_events (position bigint GENERATED ALWAYS AS"
                + " IDENTITY PRIMARY KEY, stream uuid NOT NULL, version bigint NOT NULL, type text NOT NULL,"
                + " payload jsonb NOT NULL, time timestamptz NOT NULL, UNIQUE (stream, version))";
        private static final String ROW = "(?::uuid, ?::bigint, ?, ?::jsonb, ?::timestamptz)";

        @Setup(Level.Trial)
        public void open(Shared shared) throws SQLException {
            open(shared, "INSERT INTO " + shared.schema + ".minimal_events (stream, version, type, payload, time) VALUES ", ROW);
        }

        @Override
        int bind(int p, UUID stream, long version, OffsetDateTime now) throws SQLException {
            insert.setObject(p++, stream);
            insert.setLong(p++, version);
            insert.setString(p++, "ItemAdded");
            insert.setString(p++, payload);
            insert.setObject(p++, now);
            return p;
        }

        @TearDown(Level.Trial)
        @Override
        public void close() throws SQLException {
            super.close();
        }
    }

    @Benchmark
    @Threads(1)
    public AppendResult library(Shared s) {
        return s.store.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, s.events, ExpectedVersion.NO_STREAM);
    }

    @Benchmark
    @Threads(1)
    public void rawJdbc(RawWriter w) throws SQLException {
        w.appendNewStream();
    }

    /** Eight writers, each appending {@code batch} events to its own new streams. */
    @Benchmark
    @Threads(8)
    public AppendResult library_8_threads(Shared s) {
        return s.store.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, s.events, ExpectedVersion.NO_STREAM);
    }

    @Benchmark
    @Threads(8)
    public void rawJdbc_8_threads(RawWriter w) throws SQLException {
        w.appendNewStream();
    }

    @Benchmark
    @Threads(1)
    public void rawMinimal(MinimalWriter w) throws SQLException {
        w.appendNewStream();
    }

    @Benchmark
    @Threads(8)
    public void rawMinimal_8_threads(MinimalWriter w) throws SQLException {
        w.appendNewStream();
    }

    /** Thirty-two writers; the library's pool stays at 8 connections, raw has one connection per thread. */
    @Benchmark
    @Threads(32)
    public AppendResult library_32_threads(Shared s) {
        return s.store.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, s.events, ExpectedVersion.NO_STREAM);
    }

    @Benchmark
    @Threads(32)
    public void rawJdbc_32_threads(RawWriter w) throws SQLException {
        w.appendNewStream();
    }

    @Benchmark
    @Threads(32)
    public void rawMinimal_32_threads(MinimalWriter w) throws SQLException {
        w.appendNewStream();
    }
}
