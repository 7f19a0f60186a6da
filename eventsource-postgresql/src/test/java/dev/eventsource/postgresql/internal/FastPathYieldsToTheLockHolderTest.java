package dev.eventsource.postgresql.internal;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path of an append gives way to a writer holding the stream's lock: it does not insert
 * while the lock is held but queues for it, so the holder's insert (decided under the lock) never
 * collides with it. Without the fast path's {@code pg_try_advisory_xact_lock} the append below
 * would insert version 1 at once, and the holder would hit a unique violation.
 */
class FastPathYieldsToTheLockHolderTest {

    record Noted(String text) implements DomainEvent {
    }

    @Test
    void an_append_waits_for_the_stream_lock_holder_instead_of_overtaking_it() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(new EventRegistry().register(Noted.class)).build()) {
            store.initialize();
            EventsTable table = new EventsTable(schema, store.tablePrefix());
            StreamId stream = new StreamId("Note", UUID.randomUUID());
            long key = table.streamLockKey(stream);
            List<SerializedEvent> held = List.of(store.mapper().serialize(NewEvent.of(new Noted("holder"))));

            CompletableFuture<AppendResult> append;
            try (Connection holder = PostgresTestServer.connect()) {
                holder.setAutoCommit(false);
                try (PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, key);
                    lock.execute();
                }
                append = CompletableFuture.supplyAsync(() -> store.appendEvents(stream, List.of(new Noted("fast")), ExpectedVersion.ANY));
                try (Connection watcher = PostgresTestServer.connect()) {
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                    while (!waitingFor(watcher, key)) {
                        assertThat(append).as("the append went ahead while the stream's lock was held").isNotDone();
                        assertThat(System.nanoTime()).as("the append never queued for the stream's lock").isLessThan(deadline);
                        Thread.sleep(5);
                    }
                }
                AppendResult holders = table.appendInTransaction(holder, stream, held, ExpectedVersion.NO_STREAM,
                        Instant.now().truncatedTo(ChronoUnit.MICROS));
                holder.commit();
                assertThat(holders.newVersion()).isEqualTo(1);
            }

            assertThat(append.get(1, TimeUnit.MINUTES).newVersion()).isEqualTo(2);
            assertThat(store.getEvents(stream).events()).extracting(e -> ((Noted) e.event()).text()).containsExactly("holder", "fast");
            assertThat(store.getEvents(stream).events()).extracting(StoredEvent::version).containsExactly(1L, 2L);
        }
    }

    /** Whether some session waits for the advisory lock {@code key} (a single-bigint key: objsubid 1). */
    private static boolean waitingFor(Connection c, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                + " AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = ?")) {
            s.setLong(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }
}
