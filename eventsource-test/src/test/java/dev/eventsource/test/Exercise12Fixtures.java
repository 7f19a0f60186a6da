package dev.eventsource.test;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.EventStore;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tutorial 12, exercise 1 ("SQLite test fixtures") with {@link EventStoreTest} in place of the
 * pytest fixtures: each subclass picks a backend, every test gets a fresh store and repository.
 */
// The emptiness check runs last, after every test that wrote, so that it shows isolation.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class Exercise12Fixtures {

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
