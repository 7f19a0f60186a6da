package dev.eventsource.postgresql;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.EventStore;
import dev.eventsource.test.Aggregate;
import dev.eventsource.test.Backend;
import dev.eventsource.test.EventStoreTest;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;
import static org.junit.platform.launcher.core.LauncherFactory.create;

/**
 * {@code Backend.POSTGRESQL} of eventsource-test, tested here because eventsource-test cannot
 * depend on this module, which depends on it.
 */
class BackendPostgreSQLTest {

    record ItemCreated(String name) implements DomainEvent {
    }

    record ItemState(String itemId, String name) {
    }

    static final class ItemAggregate extends AggregateRoot<ItemState> {

        ItemAggregate(UUID id) {
            super(id);
        }

        @Override
        protected ItemState initialState() {
            return new ItemState(aggregateId().toString(), "");
        }

        @Override
        protected ItemState apply(ItemState state, DomainEvent event) {
            return event instanceof ItemCreated c ? new ItemState(aggregateId().toString(), c.name()) : state;
        }

        void create(String name) {
            applyEvent(new ItemCreated(name));
        }
    }

    /** Tutorial 12, exercise 1, as eventsource-test runs it on the other backends. */
    @Nested
    @EventStoreTest(backend = Backend.POSTGRESQL, events = ItemCreated.class)
    // The emptiness checks run after the tests that wrote, so that they show isolation.
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Exercise12 {

        @Aggregate(type = "Item")
        AggregateRepository<ItemAggregate> items;

        @Test
        @Order(1)
        void creates_an_item_through_the_repository() {
            ItemAggregate item = items.createNew(UUID.randomUUID());
            item.create("Test Item");
            items.save(item);

            assertThat(item.version()).isEqualTo(1);
            assertThat(item.state().name()).isEqualTo("Test Item");
        }

        @Test
        @Order(2)
        void loads_an_item_from_the_repository() {
            UUID itemId = UUID.randomUUID();
            ItemAggregate item = items.createNew(itemId);
            item.create("Another Item");
            items.save(item);

            ItemAggregate loaded = items.load(itemId);

            assertThat(loaded.state().name()).isEqualTo("Another Item");
            assertThat(loaded.version()).isEqualTo(1);
        }

        @Test
        @Order(3)
        void keeps_what_a_test_writes_to_that_test(EventStore store) {
            assertThat(store.globalPosition()).as("events left by earlier tests").isZero();
            UUID itemId = UUID.randomUUID();
            ItemAggregate item = items.createNew(itemId);
            item.create("Isolated Item");
            items.save(item);

            assertThat(items.load(itemId).state().name()).isEqualTo("Isolated Item");
        }

        @Test
        @Order(4)
        void tells_whether_an_item_exists() {
            UUID itemId = UUID.randomUUID();
            assertThat(items.exists(itemId)).isFalse();

            ItemAggregate item = items.createNew(itemId);
            item.create("Existing Item");
            items.save(item);

            assertThat(items.exists(itemId)).isTrue();
        }

        @Test
        @Order(5)
        void starts_every_test_with_an_empty_store(EventStore store) {
            try (var events = store.readAll()) {
                assertThat(events).as("events left by earlier tests").isEmpty();
            }
        }
    }

    @Test
    void drops_the_schema_of_a_test_after_it() throws SQLException {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();

        create().execute(request().selectors(selectClass(RemembersItsSchema.class)).build(), listener);

        assertThat(listener.getSummary().getFailures()).isEmpty();
        assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(RemembersItsSchema.schema).startsWith("t_");
        assertThat(schemaExists(RemembersItsSchema.schema)).isFalse();
    }

    /** Run by {@link #drops_the_schema_of_a_test_after_it()}. */
    @EventStoreTest(backend = Backend.POSTGRESQL)
    static class RemembersItsSchema {
        static String schema;

        @Test
        void test(PostgreSQLEventStore store) throws SQLException {
            schema = store.schema();
            assertThat(schemaExists(schema)).isTrue();
        }
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection c = PostgresTestServer.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_namespace WHERE nspname = ?")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }
}
