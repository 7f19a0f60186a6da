package dev.eventsource.postgresql;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.TransactionalProjection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * A separate JVM that runs one transactional projection over a PostgreSQL schema until it is
 * killed (at most a minute), for {@link PostgreSQLSubscriptionTest}. Arguments: the JDBC URL
 * (with user and password) and the schema. The read model, tables {@code seen} and
 * {@code counted}, lives in that schema; {@code seen.applied_order} keeps the order events were applied in. Handlers are slowed down a little so that a kill lands
 * mid-batch.
 */
public final class SubscribingProcess {

    static final int BATCH = 50;

    /** The one event type of these tests. */
    public record NoteCreated(String title) implements DomainEvent {
    }

    private SubscribingProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(url).schema(schema).eventRegistry(registry()).build();
             SubscriptionManager manager = manager(store)) {
            TransactionalProjection counting = counting(schema);
            manager.subscribe("counting", new TransactionalProjection() {
                @Override
                public void handle(StoredEvent event, Connection connection) throws Exception {
                    Thread.sleep(1);
                    counting.handle(event, connection);
                }

                @Override
                public void reset(Connection connection) throws Exception {
                    counting.reset(connection);
                }
            }, options());
            Thread.sleep(60_000);
        }
    }

    static EventRegistry registry() {
        return new EventRegistry().register(NoteCreated.class);
    }

    static SubscriptionManager manager(PostgreSQLEventStore store) {
        return SubscriptionManager.builder(store).checkpoints(new PostgreSQLCheckpointStore(store))
                .deadLetters(new PostgreSQLDeadLetterStore(store)).pollInterval(Duration.ofMillis(50)).build();
    }

    static SubscriptionOptions options() {
        return SubscriptionOptions.builder().batchSize(BATCH).build();
    }

    /** Counts events in {@code counted}; a duplicate delivery would break the primary key of {@code seen}. */
    static TransactionalProjection counting(String schema) {
        return new TransactionalProjection() {
            @Override
            public void handle(StoredEvent event, Connection connection) throws Exception {
                try (PreparedStatement seen = connection.prepareStatement("INSERT INTO " + schema + ".seen (event_id) VALUES (?)");
                     PreparedStatement count = connection.prepareStatement(
                             "UPDATE " + schema + ".counted SET events = events + 1 WHERE id = 1")) {
                    seen.setObject(1, event.eventId());
                    seen.executeUpdate();
                    count.executeUpdate();
                }
            }

            @Override
            public void reset(Connection connection) throws Exception {
                try (var sql = connection.createStatement()) {
                    sql.executeUpdate("DELETE FROM " + schema + ".seen");
                    sql.executeUpdate("UPDATE " + schema + ".counted SET events = 0");
                }
            }
        };
    }

    /** Creates the read model's tables in {@code schema}, which the store's {@code initialize()} has created. */
    static void createReadModel(String schema) throws Exception {
        try (var c = dev.eventsource.test.PostgresTestServer.connect(); var sql = c.createStatement()) {
            sql.executeUpdate("CREATE TABLE " + schema + ".seen (event_id UUID PRIMARY KEY,"
                    + " applied_order BIGSERIAL NOT NULL)");
            sql.executeUpdate("CREATE TABLE " + schema + ".counted (id INTEGER PRIMARY KEY, events BIGINT NOT NULL)");
            sql.executeUpdate("INSERT INTO " + schema + ".counted VALUES (1, 0)");
        }
    }
}
