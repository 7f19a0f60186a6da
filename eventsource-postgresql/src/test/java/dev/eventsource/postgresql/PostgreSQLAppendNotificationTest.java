package dev.eventsource.postgresql;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.internal.Schema;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wake-up of other processes' subscribers, sent by the store after its appends commit (schema
 * version 5; up to version 4 a trigger sent it inside the writing transaction). The listening side
 * is always a separate store instance with its own connections, as another process would have.
 */
class PostgreSQLAppendNotificationTest {

    record Pinged(int n) implements DomainEvent {
    }

    private static EventRegistry registry() {
        return new EventRegistry().register(Pinged.class);
    }

    private static PostgreSQLEventStore store(String schema, int poolSize) {
        return PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema).maxPoolSize(poolSize)
                .eventRegistry(registry()).tracing(false).build();
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void an_append_through_one_store_wakes_the_listener_of_another_store() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        Semaphore wakeUps = new Semaphore(0);
        try (PostgreSQLEventStore writer = store(schema, 2); PostgreSQLEventStore reader = store(schema, 2)) {
            writer.initialize();
            reader.initialize();
            PostgreSQLAppendNotifier listener = new PostgreSQLAppendNotifier(reader);
            listener.start(wakeUps::release);
            try {
                // The notifier wakes once as soon as it listens, for what was appended before.
                assertThat(wakeUps.tryAcquire(60, TimeUnit.SECONDS)).as("listening").isTrue();
                assertThat(queryLong("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = '"
                        + schema + ".eventsource_events'::regclass")).as("no trigger on the events table").isZero();

                writer.appendEvents(UUID.randomUUID(), "Ping", List.of(new Pinged(1)), ExpectedVersion.NO_STREAM);

                assertThat(wakeUps.tryAcquire(60, TimeUnit.SECONDS)).as("woken by the writer's notification").isTrue();
                assertThat(writer.notifications().sent()).isGreaterThanOrEqualTo(1);
                assertThat(writer.notifications().failed()).isZero();
            } finally {
                listener.close();
            }
        }
    }

    @Test
    void a_store_starts_its_notifications_at_least_its_notification_interval_apart() {
        String schema = PostgresTestServer.freshSchema();
        Duration interval = Duration.ofMillis(500);
        try (PostgreSQLEventStore writer = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema).maxPoolSize(2)
                .eventRegistry(registry()).tracing(false).notificationInterval(interval).build()) {
            writer.initialize();
            long start = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                writer.appendEvents(UUID.randomUUID(), "Ping", List.of(new Pinged(i)), ExpectedVersion.NO_STREAM);
            }
            long sent = writer.notifications().sent();
            long elapsed = System.nanoTime() - start;

            // The first append is announced at once; each later send starts an interval after the one before.
            assertThat(sent).as("notifications sent in %d ms of appends", elapsed / 1_000_000)
                    .isLessThanOrEqualTo(elapsed / interval.toNanos() + 1);
        }
    }

    @Test
    void the_notification_interval_is_refused_when_negative_or_longer_than_a_second() {
        var builder = PostgreSQLEventStore.builder(PostgresTestServer.url());
        assertThatThrownBy(() -> builder.notificationInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notificationInterval must be between 0 and 1000 ms");
        assertThatThrownBy(() -> builder.notificationInterval(Duration.ofMillis(1001)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1001 ms");
        assertThatThrownBy(() -> builder.notificationInterval(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("notificationInterval");
        assertThat(builder.notificationInterval(Duration.ZERO)).isSameAs(builder);
    }

    @Test
    void sixteen_writers_and_a_subscriber_woken_only_by_notifications_deliver_every_event() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        int writers = 16;
        int appendsEach = 40;
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(writers * appendsEach);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (PostgreSQLEventStore writer = store(schema, 8); PostgreSQLEventStore reader = store(schema, 4)) {
            writer.initialize();
            reader.initialize();
            // A poll interval of an hour: only a notification can make the subscription read again.
            try (SubscriptionManager manager = SubscriptionManager.builder(reader)
                    .checkpoints(new PostgreSQLCheckpointStore(reader))
                    .appendNotifier(new PostgreSQLAppendNotifier(reader))
                    .pollInterval(Duration.ofHours(1)).build()) {
                manager.subscribe("pings", event -> {
                    if (seen.add(event.eventId())) {
                        all.countDown();
                    }
                });
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < appendsEach; i++) {
                            writer.appendEvents(UUID.randomUUID(), "Ping", List.of(new Pinged(i)), ExpectedVersion.NO_STREAM);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }

                assertThat(all.await(2, TimeUnit.MINUTES))
                        .as("every event delivered (%d of %d seen; notifications sent %s)", seen.size(),
                                writers * appendsEach, writer.notifications())
                        .isTrue();
                assertThat(seen).hasSize(writers * appendsEach);
                assertThat(writer.notifications().sent()).isBetween(1L, (long) writers * appendsEach);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_store_at_schema_version_3_is_upgraded_its_trigger_dropped_and_its_events_kept() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            for (int v = 1; v <= 3; v++) {
                s.execute(new Schema(schema, PostgreSQLEventStore.DEFAULT_TABLE_PREFIX).script(v));
            }
            s.execute("SELECT " + schema + ".eventsource_announce_writer()");
            s.execute("INSERT INTO " + schema + ".eventsource_events (event_id, aggregate_type, aggregate_id, version,"
                    + " event_type, schema_version, occurred_at, recorded_at, metadata, payload) VALUES ('"
                    + UUID.randomUUID() + "', 'Ping', '" + UUID.randomUUID() + "', 1, 'Pinged', 1, now(), now(), '{}',"
                    + " '{\"n\": 7}')");
        }
        String triggers = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = '" + schema
                + ".eventsource_events'::regclass";
        assertThat(queryLong(triggers)).as("the version 3 schema has its notify trigger").isEqualTo(1);

        try (PostgreSQLEventStore store = store(schema, 2)) {
            store.initialize();
            assertThat(store.globalPosition()).isEqualTo(1);
            store.appendEvents(UUID.randomUUID(), "Ping", List.of(new Pinged(8)), ExpectedVersion.NO_STREAM);
            try (var all = store.readAll()) {
                assertThat(all.map(e -> ((Pinged) e.event()).n()).toList()).containsExactly(7, 8);
            }
        }
        assertThat(queryLong(triggers)).isZero();
        assertThat(queryLong("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = '" + schema + "' AND p.proname = 'eventsource_notify_appended'")).isZero();
        assertThat(queryLong("SELECT max(version) FROM " + schema + ".eventsource_schema_version")).isEqualTo(Schema.LATEST);
    }
}
