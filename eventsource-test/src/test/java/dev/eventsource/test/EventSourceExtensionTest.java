package dev.eventsource.test;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.test.Notes.NoteAggregate;
import dev.eventsource.test.Notes.NoteCreated;
import dev.eventsource.test.Notes.NoteUpdated;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@EventStoreTest
class EventSourceExtensionTest {

    @Injected
    EventStore fieldStore;

    @Aggregate(type = "Note")
    AggregateRepository<NoteAggregate> fieldNotes;

    private EventStore storeSeenBeforeEach;

    @BeforeEach
    void remember(EventStore store) {
        storeSeenBeforeEach = store;
    }

    @Test
    void injects_an_initialized_empty_in_memory_store_by_default(EventStore store) {
        assertThat(store).isInstanceOf(InMemoryEventStore.class);
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void gives_parameters_fields_and_lifecycle_methods_one_store_per_test(EventStore store) {
        assertThat(store).isSameAs(fieldStore).isSameAs(storeSeenBeforeEach).isSameAs(fieldNotes.store());
    }

    @Test
    void injects_a_repository_for_the_declared_aggregate_class_and_type(@Aggregate(type = "Note") AggregateRepository<NoteAggregate> notes,
                                                                           EventStore store) {
        UUID id = UUID.randomUUID();
        NoteAggregate note = notes.createNew(id);
        note.create("t", "c");
        notes.save(note);

        assertThat(notes.aggregateType()).isEqualTo("Note");
        assertThat(store.getStreamVersion(id, "Note")).isEqualTo(1);
        assertThat(fieldNotes.load(id).state().title()).isEqualTo("t");
    }

    @Test
    void a_repository_without_a_type_takes_the_one_its_aggregate_class_declares(@Aggregate AggregateRepository<NoteAggregate> notes,
                                                                                EventStore store) {
        UUID id = UUID.randomUUID();
        NoteAggregate note = notes.createNew(id);
        note.create("t", "c");
        notes.save(note);

        assertThat(notes.aggregateType()).isEqualTo("Note");
        assertThat(store.getStreamVersion(id, "Note")).isEqualTo(1);
    }

    @Test
    void gives_the_backend_class_to_a_parameter_declared_with_it(InMemoryEventStore store) {
        assertThat(store).isSameAs(fieldStore);
    }

    @Test
    void gives_each_test_a_fresh_registry(EventRegistry registry) {
        assertThat(registry).isNotSameAs(EventRegistry.defaultRegistry());
        assertThat(registry.knownTypes()).isEmpty();
    }

    @Test
    @EventStoreTest(defaultRegistry = true)
    void gives_the_default_registry_when_asked(EventRegistry registry) {
        assertThat(registry).isSameAs(EventRegistry.defaultRegistry());
    }

    @Test
    @EventStoreTest(events = {NoteCreated.class, NoteUpdated.class})
    void registers_the_listed_event_classes(EventRegistry registry) {
        assertThat(registry.knownTypes()).containsExactly("NoteCreated", "NoteUpdated");
    }

    @Test
    @EventStoreTest(backend = Backend.SQLITE_MEMORY)
    void lets_a_method_choose_another_backend(EventStore store) {
        assertThat(store).isInstanceOf(SQLiteEventStore.class);
        assertThat(((SQLiteEventStore) store).isConnected()).isTrue();
    }

    @Nested
    class InANestedClass {

        @Test
        void injects_the_same_store_into_the_enclosing_instance(EventStore store) {
            assertThat(fieldStore).isSameAs(store);
        }
    }

    @Nested
    @EventStoreTest(backend = Backend.SQLITE_FILE)
    class WithAFileDatabase {

        @Test
        void keeps_events_in_a_sqlite_file(SQLiteEventStore store) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);

            assertThat(store.database()).endsWith("events.db");
            assertThat(store.globalPosition()).isEqualTo(1);
        }
    }
}
