package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import dev.eventsource.subscription.TransactionalProjection;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The case that turned 400 events into 800 read-model rows: two application instances on one SQL
 * database run the same transactional projection. With {@code exclusive(backend.locks())} each
 * event becomes exactly one row, also when the active instance stops halfway and the other takes
 * over. For backends with transactional checkpoints (SQLite, PostgreSQL).
 */
public abstract class ExclusiveProjectionContract extends SharedDatabaseFixture {

    private static final int EVENTS = 400;

    private static final class Rows implements TransactionalProjection {
        private final String table;

        Rows(String table) {
            this.table = table;
        }

        @Override
        public void handle(StoredEvent event, Connection connection) throws Exception {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (event_id) VALUES (?)")) {
                insert.setString(1, event.eventId().toString());
                insert.executeUpdate();
            }
        }

        @Override
        public void reset(Connection connection) throws Exception {
            try (Statement sql = connection.createStatement()) {
                sql.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    private static TransactionalCheckpointStore transactional(EventStoreBackend backend) {
        return backend.transactionalCheckpoints().orElseThrow(() ->
                new AssertionError(backend + " has no transactional checkpoints; this suite is for SQL backends"));
    }

    private SubscriptionManager manager(EventStoreBackend backend) {
        return closeLater(backend.subscriptions().exclusive(backend.locks()).pollInterval(Duration.ofMillis(20))
                .lockPollInterval(Duration.ofMillis(20)).build());
    }

    private static long rows(EventStoreBackend backend, String table) throws Exception {
        long[] count = new long[1];
        transactional(backend).saveInTransaction(null, c -> {
            try (Statement sql = c.createStatement(); ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                count[0] = rs.getLong(1);
            }
        });
        return count[0];
    }

    @Test
    void two_instances_running_one_transactional_projection_write_each_event_once_across_a_takeover() throws Exception {
        EventStoreBackend one = openInstance();
        EventStoreBackend two = openInstance();
        String table = "rows_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        transactional(one).saveInTransaction(null, c -> {
            try (Statement sql = c.createStatement()) {
                sql.executeUpdate("CREATE TABLE " + table + " (event_id VARCHAR(36) PRIMARY KEY)");
            }
        });
        SubscriptionOptions options = SubscriptionOptions.builder().batchSize(25).build();
        SubscriptionManager first = manager(one);
        Subscription a = first.subscribe("rows", new Rows(table), options);
        Subscription b = manager(two).subscribe("rows", new Rows(table), options);
        for (int i = 0; i < EVENTS; i++) {
            (i % 2 == 0 ? one : two).store().appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("e" + i)),
                    ExpectedVersion.NO_STREAM);
        }
        awaitQuery("a quarter of the rows", () -> rows(one, table) >= EVENTS / 4);
        assertThat(a.isActive() ^ b.isActive()).as("exactly one instance runs the projection").isTrue();
        if (a.isActive()) {
            assertThat(first.shutdown(Duration.ofSeconds(30))).isTrue();
        }
        awaitQuery("every event projected", () -> rows(two, table) == EVENTS
                && transactional(two).find("rows").map(c -> c.position()).orElse(0L) == one.store().globalPosition());

        assertThat(rows(two, table)).isEqualTo(EVENTS);
    }

    /** Waits for a condition that may throw (a query). */
    private void awaitQuery(String what, ThrowingCondition condition) throws InterruptedException {
        await(what, () -> {
            try {
                return condition.holds();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @FunctionalInterface
    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }
}
