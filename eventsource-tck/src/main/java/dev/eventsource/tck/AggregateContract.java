package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateNotFoundException;
import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AggregateRepository} over the store: save, load, find, exists, loadOrCreate, conflicting
 * saves and saves with metadata behave the same on every backend.
 */
public abstract class AggregateContract extends EventStoreFixture {

    private AggregateRepository<ItemAggregate> items;

    @BeforeEach
    final void createRepository() {
        items = new AggregateRepository<>(store, ItemAggregate::new, TYPE);
    }

    @Test
    void a_saved_aggregate_loads_with_the_same_state_and_version() {
        UUID id = UUID.randomUUID();
        ItemAggregate item = items.createNew(id);
        item.create("lamp");
        item.rename("desk lamp");
        items.save(item);

        ItemAggregate loaded = items.load(id);

        assertThat(loaded.state()).isEqualTo(new ItemState("desk lamp", 1));
        assertThat(loaded.version()).isEqualTo(2);
    }

    @Test
    void saving_returns_the_append_result_and_clears_the_uncommitted_events() {
        ItemAggregate item = items.createNew(UUID.randomUUID());
        item.create("lamp");

        Optional<AppendResult> result = items.save(item);

        assertThat(result).map(AppendResult::newVersion).contains(1L);
        assertThat(item.hasUncommittedEvents()).isFalse();
    }

    @Test
    void saving_an_aggregate_without_new_events_writes_nothing() {
        UUID id = saved("lamp");
        ItemAggregate loaded = items.load(id);
        long before = store.globalPosition();

        Optional<AppendResult> result = items.save(loaded);

        assertThat(result).isEmpty();
        assertThat(store.globalPosition()).isEqualTo(before);
    }

    @Test
    void a_loaded_aggregate_saves_its_new_events_after_its_version() {
        UUID id = saved("lamp");
        ItemAggregate loaded = items.load(id);
        loaded.rename("desk lamp");

        items.save(loaded);

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::version).containsExactly(1L, 2L);
        assertThat(items.load(id).state()).isEqualTo(new ItemState("desk lamp", 1));
    }

    @Test
    void saved_events_are_stored_under_the_repository_aggregate_type() {
        UUID id = saved("lamp");

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::aggregateType).containsExactly(TYPE);
        assertThat(store.getEvents(id, "Other").events()).isEmpty();
    }

    @Test
    void loading_an_absent_aggregate_throws_aggregate_not_found() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> items.load(id))
                .isInstanceOf(AggregateNotFoundException.class)
                .hasMessageContaining(id.toString());
    }

    @Test
    void find_returns_empty_for_an_absent_aggregate() {
        assertThat(items.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void find_returns_the_stored_aggregate() {
        UUID id = saved("lamp");

        assertThat(items.find(id)).map(ItemAggregate::state).contains(new ItemState("lamp", 0));
    }

    @Test
    void exists_is_false_before_the_first_save_and_true_after() {
        UUID id = UUID.randomUUID();
        ItemAggregate item = items.createNew(id);
        item.create("lamp");
        boolean before = items.exists(id);

        items.save(item);

        assertThat(before).isFalse();
        assertThat(items.exists(id)).isTrue();
    }

    @Test
    void load_or_create_returns_a_new_empty_aggregate_when_none_is_stored() {
        ItemAggregate item = items.loadOrCreate(UUID.randomUUID());

        assertThat(item.version()).isZero();
        assertThat(item.state()).isEqualTo(new ItemState("", 0));
    }

    @Test
    void load_or_create_returns_the_stored_aggregate() {
        UUID id = saved("lamp");

        ItemAggregate item = items.loadOrCreate(id);

        assertThat(item.version()).isEqualTo(1);
        assertThat(item.state()).isEqualTo(new ItemState("lamp", 0));
    }

    @Test
    void a_save_after_another_writer_saved_fails_and_writes_nothing() {
        UUID id = saved("lamp");
        ItemAggregate first = items.load(id);
        ItemAggregate second = items.load(id);
        first.rename("first");
        items.save(first);
        second.rename("second");

        assertThatThrownBy(() -> items.save(second))
                .isInstanceOf(OptimisticLockException.class)
                .satisfies(e -> assertThat(((OptimisticLockException) e).actualVersion()).isEqualTo(2));

        assertThat(items.load(id).state()).isEqualTo(new ItemState("first", 1));
        assertThat(second.hasUncommittedEvents()).isTrue();
    }

    @Test
    void after_a_conflict_reloading_and_saving_again_succeeds() {
        UUID id = saved("lamp");
        ItemAggregate stale = items.load(id);
        ItemAggregate winner = items.load(id);
        winner.rename("winner");
        items.save(winner);
        stale.rename("stale");
        assertThatThrownBy(() -> items.save(stale)).isInstanceOf(OptimisticLockException.class);

        ItemAggregate fresh = items.load(id);
        fresh.rename("retried");
        items.save(fresh);

        assertThat(items.load(id).state()).isEqualTo(new ItemState("retried", 2));
    }

    @Test
    void saving_with_metadata_stamps_every_saved_event() {
        UUID id = UUID.randomUUID();
        EventMetadata metadata = new EventMetadata("tenant-1", UUID.randomUUID(), UUID.randomUUID(), null,
                java.util.Map.of("command", "CreateItem"));
        ItemAggregate item = items.createNew(id);
        item.create("lamp");
        item.rename("desk lamp");

        items.save(item, metadata);

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::metadata).containsExactly(metadata, metadata);
    }

    private UUID saved(String name) {
        UUID id = UUID.randomUUID();
        ItemAggregate item = items.createNew(id);
        item.create(name);
        items.save(item);
        return id;
    }

    /** The state of the test aggregate. */
    record ItemState(String name, int revision) {
    }

    /** A small aggregate over {@link TckEvent}s. */
    static final class ItemAggregate extends AggregateRoot<ItemState> {

        ItemAggregate(UUID id) {
            super(id);
        }

        @Override
        protected ItemState initialState() {
            return new ItemState("", 0);
        }

        @Override
        protected ItemState apply(ItemState state, DomainEvent event) {
            if (event instanceof TckEvent.Created c) {
                return new ItemState(c.name(), 0);
            }
            if (event instanceof TckEvent.Renamed r) {
                return new ItemState(r.name(), r.revision());
            }
            return state;
        }

        void create(String name) {
            applyEvent(new TckEvent.Created(name));
        }

        void rename(String name) {
            applyEvent(new TckEvent.Renamed(name, state().revision() + 1));
        }
    }
}
