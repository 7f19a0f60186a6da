package dev.eventsource.postgresql;

import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.relay.EventRelay;
import dev.eventsource.relay.RelayState;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tck.RecordingPublisher;
import dev.eventsource.tck.TckEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL advisory lock is lost when the server ends its session: after
 * {@code pg_terminate_backend} on the holder's session, the holder learns it from
 * {@link ExclusiveLock#isHeld()}, a standby acquires it, and a relay that held it stops publishing
 * while the standby relay takes over from the checkpoint, with no event lost.
 */
class PostgreSQLLockLossTest {

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final String schema = PostgresTestServer.freshSchema();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private PostgreSQLBackend instance() {
        PostgreSQLBackend backend = new PostgreSQLBackend(PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(schema).eventRegistry(new EventRegistry().register(TckEvent.class)).build());
        backend.store().initialize();
        opened.add(backend);
        return backend;
    }

    /** Terminates the sessions holding the advisory lock of {@code name}; returns how many. */
    private static int terminateHolderOf(PostgreSQLBackend backend, String name) throws SQLException {
        long key = backend.locks().key(name);
        List<Integer> pids = new ArrayList<>();
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT classid::bigint, objid::bigint, pid FROM pg_locks"
                     + " WHERE locktype = 'advisory' AND granted AND objsubid = 1")) {
            while (rs.next()) {
                if (((rs.getLong(1) << 32) | rs.getLong(2)) == key) {
                    pids.add(rs.getInt(3));
                }
            }
            for (int pid : pids) {
                try (ResultSet killed = s.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
                    killed.next();
                }
            }
        }
        return pids.size();
    }

    @Test
    void a_lock_whose_session_is_terminated_is_lost_and_taken_by_another_instance() throws Exception {
        PostgreSQLBackend holder = instance();
        PostgreSQLBackend standby = instance();
        ExclusiveLock held = holder.locks().tryAcquire("relay:orders").orElseThrow();
        assertThat(standby.locks().tryAcquire("relay:orders")).isEmpty();

        assertThat(terminateHolderOf(holder, "relay:orders")).isEqualTo(1);

        await("the standby to acquire", () -> standby.locks().tryAcquire("relay:orders").isPresent());
        assertThat(held.isHeld()).isFalse();
        held.close();
        assertThat(holder.locks().tryAcquire("relay:other")).as("the holder opens a new session").isPresent();
    }

    @Test
    void a_relay_whose_session_is_terminated_stops_and_the_standby_relay_takes_over_without_loss() throws Exception {
        PostgreSQLBackend one = instance();
        PostgreSQLBackend two = instance();
        RecordingPublisher first = new RecordingPublisher();
        RecordingPublisher second = new RecordingPublisher();
        EventRelay active = relay(one, first);
        await("the first relay to be live", () -> active.status().state() == RelayState.LIVE);
        EventRelay standby = relay(two, second);
        await("the second relay to stand by", () -> standby.status().state() == RelayState.STANDBY);
        append(one, 5);
        await("5 events published by the first", () -> first.acknowledgedEvents().size() >= 5);

        assertThat(terminateHolderOf(one, "relay:orders")).isEqualTo(1);

        await("the second relay to take over", () -> standby.status().state() == RelayState.LIVE);
        await("the first relay to notice", () -> active.status().lockLosses() == 1);
        assertThat(active.status().state()).isEqualTo(RelayState.STANDBY);
        append(two, 5);
        await("the 5 new events published by the second", () -> second.acknowledgedEvents().size() >= 5);
        LinkedHashSet<UUID> union = new LinkedHashSet<>();
        first.acknowledgedEvents().forEach(e -> union.add(e.eventId()));
        second.acknowledgedEvents().forEach(e -> union.add(e.eventId()));
        try (Stream<StoredEvent> log = one.store().readAll(ReadOptions.ALL)) {
            assertThat(new ArrayList<>(union)).isEqualTo(log.map(StoredEvent::eventId).toList());
        }
        assertThat(active.status().lastError()).contains("lost the lock");
    }

    private EventRelay relay(PostgreSQLBackend backend, RecordingPublisher publisher) {
        EventRelay relay = EventRelay.builder("orders", backend, publisher).batchSize(2)
                .pollInterval(Duration.ofMillis(20)).lockPollInterval(Duration.ofMillis(20)).build().start();
        opened.add(relay);
        return relay;
    }

    private static void append(PostgreSQLBackend backend, int events) {
        for (int i = 0; i < events; i++) {
            backend.store().appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("e" + i)),
                    ExpectedVersion.NO_STREAM);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
