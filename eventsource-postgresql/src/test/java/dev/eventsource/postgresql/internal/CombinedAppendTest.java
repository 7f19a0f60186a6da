package dev.eventsource.postgresql.internal;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.spi.OwnerCheck;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.eventsource.postgresql.internal.AppendFixtures.event;
import static dev.eventsource.postgresql.internal.AppendFixtures.now;
import static dev.eventsource.postgresql.internal.AppendFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One-event appends made at the same time by several threads share statements ({@link AppendCombiner}
 * and {@code EventsTable.combinedInsert}), and each is still decided alone: against a real server,
 * writers on their own connections append new streams, stale expectations, retried and foreign
 * event ids and refused tenants all mixed, and every append must end as it would alone, with
 * nothing lost, duplicated or written twice. Rows one transaction inserted share its {@code xmin},
 * which shows that appends were combined.
 */
class CombinedAppendTest {

    private static final int ATTEMPTS = 5;
    private static final int WRITERS = 8;
    private static final OwnerCheck TENANT_A = new OwnerCheck("tenant-a", head -> new IllegalStateException("stream of " + head.tenantId()));
    private static final OwnerCheck TENANT_B = new OwnerCheck("tenant-b", head -> new IllegalStateException("stream of " + head.tenantId()));

    private EventsTable table;

    /**
     * A fresh store's table; with {@code rowLevelSecurity} the statements read a stream's head through
     * its {@code stream_head} function, as a store under row-level security does.
     */
    private void freshSchema(boolean rowLevelSecurity) {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .rowLevelSecurity(rowLevelSecurity).eventRegistry(new EventRegistry()).build()) {
            store.initialize();
        }
        table = new EventsTable(schema, PostgreSQLEventStore.DEFAULT_TABLE_PREFIX, rowLevelSecurity, 2);
    }

    @ParameterizedTest(name = "row-level security: {0}")
    @ValueSource(booleans = {false, true})
    void concurrent_appends_to_new_streams_share_statements_and_each_lands_once_where_its_result_says(boolean rowLevelSecurity)
            throws Exception {
        freshSchema(rowLevelSecurity);
        int each = 150;
        Map<UUID, AppendResult> results = new HashMap<>();
        for (Map<UUID, AppendResult> mine : writers(each, (c, w, i) -> {
            SerializedEvent event = event(null);
            return Map.of(event.eventId(), table.append(c, stream(), List.of(event), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null));
        })) {
            results.putAll(mine);
        }

        Map<UUID, long[]> stored = storedRows();
        assertThat(stored).hasSize(WRITERS * each);
        for (Map.Entry<UUID, AppendResult> result : results.entrySet()) {
            long[] row = stored.get(result.getKey());
            assertThat(row).as("event %s is stored", result.getKey()).isNotNull();
            assertThat(result.getValue().newVersion()).isEqualTo(1).isEqualTo(row[0]);
            assertThat(result.getValue().globalPosition()).as("the result's position is the row's").isEqualTo(row[1]);
        }
        assertThat(transactions()).as("appends were combined into fewer transactions").isLessThan(WRITERS * each);
    }

    /**
     * Every append of each round is one of five kinds, mixed across writers so that combined
     * statements carry all of them at once; each kind must end as it does alone.
     */
    @ParameterizedTest(name = "row-level security: {0}")
    @ValueSource(booleans = {false, true})
    void combined_appends_are_each_decided_alone_new_stale_retried_foreign_and_refused(boolean rowLevelSecurity) throws Exception {
        freshSchema(rowLevelSecurity);
        int each = 100;
        StreamId taken = stream();
        StreamId tenantAStream = stream();
        SerializedEvent stored = event(null);
        try (Connection c = PostgresTestServer.connect()) {
            table.append(c, taken, List.of(stored), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null);
            table.append(c, tenantAStream, List.of(event("tenant-a")), ExpectedVersion.NO_STREAM, TENANT_A, now(), ATTEMPTS, null);
        }
        long before = storedRows().size();
        long storedPosition = storedRows().get(stored.eventId())[1];

        List<Map<UUID, AppendResult>> written = writers(each, (c, w, i) -> {
            switch ((w + i) % 5) {
                case 0 -> {
                    SerializedEvent event = event(null);
                    return Map.of(event.eventId(), table.append(c, stream(), List.of(event), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null));
                }
                case 1 -> assertThatThrownBy(() -> table.append(c, taken, List.of(event(null)), ExpectedVersion.NO_STREAM, now(),
                        ATTEMPTS, null)).isInstanceOf(OptimisticLockException.class);
                case 2 -> {
                    AppendResult retry = table.append(c, taken, List.of(stored), ExpectedVersion.ANY, now(), ATTEMPTS, null);
                    assertThat(retry).isEqualTo(new AppendResult(1, storedPosition));
                }
                case 3 -> {
                    AppendResult foreign = table.append(c, stream(), List.of(stored), ExpectedVersion.ANY, now(), ATTEMPTS, null);
                    assertThat(foreign.skippedEventIds()).containsExactly(stored.eventId());
                }
                default -> assertThatThrownBy(() -> table.append(c, tenantAStream, List.of(event("tenant-b")), ExpectedVersion.ANY,
                        TENANT_B, now(), ATTEMPTS, null)).isInstanceOf(IllegalStateException.class).hasMessage("stream of tenant-a");
            }
            return Map.of();
        });

        Map<UUID, long[]> rows = storedRows();
        Set<UUID> appended = new HashSet<>();
        written.forEach(mine -> appended.addAll(mine.keySet()));
        assertThat(appended).hasSize(WRITERS * each / 5);
        assertThat(rows).as("only the new streams' events were added").hasSize((int) before + appended.size());
        assertThat(rows.keySet()).containsAll(appended);
        try (Connection c = PostgresTestServer.connect()) {
            assertThat(table.streamVersion(c, taken)).isEqualTo(1);
            assertThat(table.streamVersion(c, tenantAStream)).isEqualTo(1);
        }
    }

    /**
     * Half the appends carry a payload PostgreSQL's {@code jsonb} refuses (a NUL character), so most
     * shared statements fail: each refused append must fail alone, with the server's SQLState, and
     * every other append of the same statements must still land.
     */
    @Test
    void an_append_the_server_refuses_fails_alone_and_the_others_of_its_statement_land() throws Exception {
        freshSchema(false);
        int each = 60;
        List<Map<UUID, AppendResult>> written = writers(each, (c, w, i) -> {
            if ((w + i) % 2 == 0) {
                SerializedEvent refused = new SerializedEvent(UUID.randomUUID(), "Noted", 1, now(), null, "{}",
                        "{\"text\": \"a\\u0000b\"}");
                assertThatThrownBy(() -> table.append(c, stream(), List.of(refused), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22P05"));
                return Map.of();
            }
            SerializedEvent event = event(null);
            return Map.of(event.eventId(), table.append(c, stream(), List.of(event), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null));
        });

        Set<UUID> appended = new HashSet<>();
        written.forEach(mine -> appended.addAll(mine.keySet()));
        assertThat(appended).hasSize(WRITERS * each / 2);
        assertThat(storedRows().keySet()).containsExactlyInAnyOrderElementsOf(appended);
    }

    /** One writer's append number {@code i}; returns the results of appends that wrote, by event id. */
    @FunctionalInterface
    private interface Append {
        Map<UUID, AppendResult> run(Connection c, int writer, int i) throws Exception;
    }

    /** Runs {@code each} appends on each of {@link #WRITERS} threads, each with its own connection, all starting together. */
    private static List<Map<UUID, AppendResult>> writers(int each, Append append) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<UUID, AppendResult>>> futures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    Map<UUID, AppendResult> mine = new HashMap<>();
                    try (Connection c = PostgresTestServer.connect()) {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            mine.putAll(append.run(c, writer, i));
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Map<UUID, AppendResult>> all = new ArrayList<>();
            for (Future<Map<UUID, AppendResult>> f : futures) {
                all.add(f.get(180, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every stored row: event id to {version, position}. */
    private Map<UUID, long[]> storedRows() throws SQLException {
        Map<UUID, long[]> rows = new HashMap<>();
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id, version, global_position FROM " + table.table())) {
            while (rs.next()) {
                rows.put(rs.getObject(1, UUID.class), new long[]{rs.getLong(2), rs.getLong(3)});
            }
        }
        return rows;
    }

    /** How many transactions inserted the stored rows. */
    private long transactions() throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(DISTINCT xmin::text) FROM " + table.table())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
