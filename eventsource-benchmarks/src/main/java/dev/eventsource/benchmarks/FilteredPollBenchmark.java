package dev.eventsource.benchmarks;

import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.spi.AbstractEventStore;
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

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What one poll of a live subscription (or relay) on a rare selection costs at the head of a log of
 * {@code events} events whose only selected event is the first one. The selection is by aggregate
 * type: {@code one} ({@code Rare}) or {@code two} ({@code Rare} or {@code Rarer}). Neither store has
 * an aggregate-type index (SQLite had one up to schema version 4): both walk the primary key.
 *
 * <ul>
 *   <li>{@code fromLastEvent}: the read each poll made before filtered reads reported how far they got, from the last event the
 *       reader was given, {@code readRecorded(fromPosition(1), limit(100))}: it examines every row
 *       after that event to learn that none is selected.</li>
 *   <li>{@code fromWhereThePageGotTo}: the read each poll makes now, {@code readRecordedPage} from the
 *       position the last page reported (the head, once the reader got there).</li>
 *   <li>{@code catchUp}: a first read of the selection from the start of the log through
 *       {@code readRecorded}, which goes on past empty pages (for {@code two}, one per
 *       {@link AbstractEventStore#SCAN_WINDOW} positions), against {@code catchUpRawJdbc}: the same
 *       filter in one query without a window on a plain JDBC connection, what the windows cost.</li>
 * </ul>
 *
 * <p>PostgreSQL is the server named by {@code EVENTSOURCE_TEST_POSTGRES_URL}, or one that
 * {@link PostgresTestServer} starts for this fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FilteredPollBenchmark {

    @Param({"sqlite", "postgresql"})
    String backend;

    @Param({"one", "two"})
    String types;

    @Param({"200000"})
    int events;

    private TrialStore trial;
    private AbstractEventStore store;
    private ReadOptions filter;
    private long head;
    private Connection raw;
    private String rawSql;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        trial = TrialStore.open(backend, "filtered-poll");
        store = trial.store();
        UUID rare = UUID.randomUUID();
        store.append(rare, "Rare", List.of(NewEvent.of(BenchEvents.event(rare, 0))), ExpectedVersion.NO_STREAM);
        BenchLogs.fill(store, events, 1000, "none");
        filter = switch (types) {
            case "one" -> ReadOptions.builder().aggregateTypes("Rare").limit(100).pageSize(100).build();
            case "two" -> ReadOptions.builder().aggregateTypes("Rare", "Rarer").limit(100).pageSize(100).build();
            default -> throw new IllegalArgumentException("types must be one or two; got " + types);
        };
        head = store.globalPosition();
        String predicate;
        if (trial.sqlite() != null) {
            raw = DriverManager.getConnection("jdbc:sqlite:" + trial.sqlite().database());
            // As the store writes it: one value walks its index, several walk the position key.
            predicate = types.equals("one") ? "aggregate_type = 'Rare'" : "+aggregate_type IN ('Rare', 'Rarer')";
            rawSql = "SELECT global_position, payload FROM " + trial.sqlite().tablePrefix() + "events";
        } else {
            raw = trial.postgres().dataSource().getConnection();
            predicate = types.equals("one") ? "aggregate_type = ANY('{Rare}')" : "aggregate_type = ANY('{Rare,Rarer}')";
            rawSql = "SELECT global_position, payload::text FROM " + trial.schema() + "." + trial.postgres().tablePrefix() + "events";
        }
        rawSql += " WHERE global_position > 0 AND " + predicate + " ORDER BY global_position LIMIT 100";
        // The reader a poll continues: it got to the head, a window at a time.
        RecordedPage page;
        long position = 1;
        do {
            page = store.readRecordedPage(filter.toBuilder().fromPosition(position).build());
            position = page.position();
        } while (!page.atEnd());
        if (position != head) {
            throw new IllegalStateException("the pages got to " + position + ", the head is " + head);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (raw != null) {
            raw.close();
        }
        if (trial != null) {
            trial.close();
        }
    }

    @Benchmark
    public long fromLastEvent() {
        try (Stream<RecordedEvent> rows = store.readRecorded(filter.toBuilder().fromPosition(1).build())) {
            return check(rows.count());
        }
    }

    @Benchmark
    public long fromWhereThePageGotTo() {
        RecordedPage page = store.readRecordedPage(filter.toBuilder().fromPosition(head).build());
        if (!page.atEnd()) {
            throw new IllegalStateException("a poll at the head must be at the end: " + page.position());
        }
        return check(page.rows().size());
    }

    @Benchmark
    public long catchUp() {
        try (Stream<RecordedEvent> rows = store.readRecorded(filter.toBuilder().fromPosition(0).build())) {
            return checkFirst(rows.count());
        }
    }

    @Benchmark
    public long catchUpRawJdbc() throws SQLException {
        long rows = 0;
        try (PreparedStatement query = raw.prepareStatement(rawSql); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows += rs.getLong(1) > 0 && rs.getString(2) != null ? 1 : 0;
            }
        }
        return checkFirst(rows);
    }

    private static long checkFirst(long rows) {
        if (rows != 1) {
            throw new IllegalStateException("the first event is the only one selected; read " + rows);
        }
        return rows;
    }

    private static long check(long rows) {
        if (rows != 0) {
            throw new IllegalStateException("nothing after the first event is selected; read " + rows);
        }
        return rows;
    }
}
