package dev.eventsource.postgresql.internal;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.spi.OwnerCheck;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.eventsource.postgresql.internal.AppendFixtures.event;
import static dev.eventsource.postgresql.internal.AppendFixtures.now;
import static dev.eventsource.postgresql.internal.AppendFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fast path of a one-event append (its own statement with scalar parameters, see
 * {@code EventsTable.optimisticInsertOne}) keeps every guarantee of the array statement: it inserts
 * nothing, and spends no position, for an id already stored, a failed expectation or a stream of
 * another tenant, and leaves those to the careful path, which answers them as it always did. "Spends
 * no position" is what tells the fast path's own checks apart from a unique violation caught after
 * the fact: a row the fast path tried to insert takes a value of the sequence even when the insert
 * then fails, so each test checks that the next position handed out follows the last stored one.
 */
class SingleEventAppendTest {

    private static final int ATTEMPTS = 5;

    private String schema;
    private EventsTable table;

    @BeforeEach
    void freshSchema() {
        schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(new EventRegistry()).build()) {
            store.initialize();
        }
        table = new EventsTable(schema, PostgreSQLEventStore.DEFAULT_TABLE_PREFIX);
    }

    @Test
    void a_retried_single_event_append_returns_the_original_result_and_spends_no_position() throws Exception {
        StreamId stream = stream();
        SerializedEvent event = event(null);
        try (Connection c = PostgresTestServer.connect()) {
            AppendResult first = table.append(c, stream, List.of(event), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null);
            // ANY: only the id check can keep the fast path from inserting.
            AppendResult retry = table.append(c, stream, List.of(event), ExpectedVersion.ANY, now(), ATTEMPTS, null);

            assertThat(retry.newVersion()).isEqualTo(1);
            assertThat(retry.globalPosition()).isEqualTo(first.globalPosition());
            assertThat(table.streamVersion(c, stream)).isEqualTo(1);
            assertNextPositionFollows(c, first.globalPosition());
        }
    }

    @Test
    void a_single_event_whose_id_is_stored_in_another_stream_is_skipped_and_spends_no_position() throws Exception {
        SerializedEvent event = event(null);
        StreamId other = stream();
        try (Connection c = PostgresTestServer.connect()) {
            AppendResult first = table.append(c, stream(), List.of(event), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null);
            AppendResult second = table.append(c, other, List.of(event), ExpectedVersion.ANY, now(), ATTEMPTS, null);

            assertThat(second.skippedEventIds()).containsExactly(event.eventId());
            assertThat(table.streamVersion(c, other)).isZero();
            assertNextPositionFollows(c, first.globalPosition());
        }
    }

    @Test
    void a_single_event_with_a_failed_expectation_is_refused_and_spends_no_position() throws Exception {
        StreamId stream = stream();
        try (Connection c = PostgresTestServer.connect()) {
            AppendResult first = table.append(c, stream, List.of(event(null)), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null);

            assertThatThrownBy(() -> table.append(c, stream, List.of(event(null)), ExpectedVersion.NO_STREAM, now(), ATTEMPTS, null))
                    .isInstanceOf(OptimisticLockException.class);
            assertThat(c.getAutoCommit()).as("the connection is left in autocommit").isTrue();
            assertThat(table.streamVersion(c, stream)).isEqualTo(1);
            assertNextPositionFollows(c, first.globalPosition());
        }
    }

    @Test
    void a_single_event_into_another_tenants_stream_is_refused_by_the_owner_check_and_spends_no_position() throws Exception {
        StreamId stream = stream();
        OwnerCheck tenantB = new OwnerCheck("tenant-b", head -> new IllegalStateException("stream belongs to " + head.tenantId()));
        OwnerCheck tenantA = new OwnerCheck("tenant-a", head -> new IllegalStateException("stream belongs to " + head.tenantId()));
        try (Connection c = PostgresTestServer.connect()) {
            AppendResult first = table.append(c, stream, List.of(event("tenant-a")), ExpectedVersion.NO_STREAM, tenantA, now(),
                    ATTEMPTS, null);

            assertThatThrownBy(() -> table.append(c, stream, List.of(event("tenant-b")), ExpectedVersion.ANY, tenantB, now(),
                    ATTEMPTS, null))
                    .isInstanceOf(IllegalStateException.class).hasMessage("stream belongs to tenant-a");
            assertThat(table.streamHead(c, stream)).isEqualTo(new StreamHead(1, "tenant-a"));
            assertNextPositionFollows(c, first.globalPosition());

            AppendResult own = table.append(c, stream, List.of(event("tenant-a")), ExpectedVersion.ANY, tenantA, now(), ATTEMPTS, null);
            assertThat(own.newVersion()).as("the owner's own append goes ahead").isEqualTo(2);
        }
    }

    @Test
    void a_single_event_is_stored_with_every_field() throws Exception {
        StreamId stream = stream();
        SerializedEvent event = new SerializedEvent(UUID.randomUUID(), "Noted", 3, Instant.parse("2026-11-26T10:15:30.123456Z"),
                "tenant-x", "{\"actor\": \"ann\"}", "{\"text\": \"it's \\\"quoted\\\", {braced} and \\\\ escaped\"}");
        Instant recordedAt = now();
        try (Connection c = PostgresTestServer.connect()) {
            AppendResult result = table.append(c, stream, List.of(event), ExpectedVersion.NO_STREAM, recordedAt, ATTEMPTS, null);

            assertThat(table.readStream(c, stream, 0).events()).singleElement()
                    .isEqualTo(event.recorded(stream, 1, result.globalPosition(), recordedAt));
        }
    }

    /**
     * Eight writers append single events to one stream with {@link ExpectedVersion#ANY}: the fast
     * path and the careful path interleave (a writer holding the stream's lock makes the others
     * queue), and every event must land exactly once, at versions 1 to n without a hole.
     */
    @Test
    void eight_writers_of_single_events_to_one_stream_each_land_once_in_version_order() throws Exception {
        StreamId stream = stream();
        int writers = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<UUID>>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Callable<List<UUID>> writer = () -> {
                List<UUID> written = new ArrayList<>();
                try (Connection c = PostgresTestServer.connect()) {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        SerializedEvent event = event(null);
                        table.append(c, stream, List.of(event), ExpectedVersion.ANY, now(), ATTEMPTS, null);
                        written.add(event.eventId());
                    }
                }
                return written;
            };
            futures.add(pool.submit(writer));
        }
        start.countDown();
        List<UUID> all = new ArrayList<>();
        try {
            for (Future<List<UUID>> f : futures) {
                all.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = PostgresTestServer.connect();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id, version FROM " + table.table() + " ORDER BY global_position")) {
            List<UUID> stored = new ArrayList<>();
            long expectedVersion = 1;
            while (rs.next()) {
                stored.add(rs.getObject(1, UUID.class));
                assertThat(rs.getLong(2)).as("versions follow positions without a hole").isEqualTo(expectedVersion++);
            }
            assertThat(stored).hasSize(writers * each).containsExactlyInAnyOrderElementsOf(all);
        }
    }

    /** The next value of the position sequence comes right after {@code last}: no append spent one in between. */
    private void assertNextPositionFollows(Connection c, long last) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nextval('" + schema + "." + PostgreSQLEventStore.DEFAULT_TABLE_PREFIX
                     + "events_position_seq')")) {
            rs.next();
            assertThat(rs.getLong(1)).as("next position").isEqualTo(last + 1);
        }
    }
}
