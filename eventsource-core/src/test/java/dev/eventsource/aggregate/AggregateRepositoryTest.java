package dev.eventsource.aggregate;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregateRepositoryTest {

    record NoteCreated(String title, String content) implements DomainEvent {}

    record NoteUpdated(String content) implements DomainEvent {}

    record NoteState(UUID noteId, String title, String content) {}

    static final class NoteAggregate extends AggregateRoot<NoteState> {
        NoteAggregate(UUID id) { super(id); }

        @Override protected NoteState initialState() { return new NoteState(aggregateId(), "", ""); }

        @Override protected NoteState apply(NoteState s, DomainEvent e) {
            if (e instanceof NoteCreated c) return new NoteState(aggregateId(), c.title(), c.content());
            if (e instanceof NoteUpdated u) return new NoteState(aggregateId(), s.title(), u.content());
            return s;
        }

        void create(String title, String content) {
            if (version() > 0) throw new IllegalStateException("already created");
            applyEvent(new NoteCreated(title, content));
        }

        void update(String content) { applyEvent(new NoteUpdated(content)); }
    }

    /** The same aggregate in the declarative style. */
    static final class DeclarativeNote extends AggregateRoot<NoteState> {
        DeclarativeNote(UUID id) { super(id); }

        @Override protected NoteState initialState() { return new NoteState(aggregateId(), "", ""); }

        @Handles NoteState on(NoteState s, NoteCreated c) { return new NoteState(aggregateId(), c.title(), c.content()); }

        @Handles NoteState on(NoteState s, NoteUpdated u) { return new NoteState(aggregateId(), s.title(), u.content()); }

        void create(String title, String content) { applyEvent(new NoteCreated(title, content)); }

        void update(String content) { applyEvent(new NoteUpdated(content)); }
    }

    static final class Neither extends AggregateRoot<String> {
        Neither(UUID id) { super(id); }

        @Override protected String initialState() { return ""; }

        void touch() { applyEvent(new NoteUpdated("x")); }
    }

    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry());
    private final AggregateRepository<NoteAggregate> repo = new AggregateRepository<>(store, NoteAggregate::new, "Note");

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_saved_aggregate_loads_back_with_the_same_state_and_version() {
        UUID id = UUID.randomUUID();
        NoteAggregate note = repo.createNew(id);
        note.create("Meeting Notes", "Discuss Q4 roadmap");
        repo.save(note);

        NoteAggregate loaded = repo.load(id);
        loaded.update("Discuss Q4 roadmap and budget");
        repo.save(loaded);

        NoteAggregate again = repo.load(id);
        assertThat(again.state()).isEqualTo(new NoteState(id, "Meeting Notes", "Discuss Q4 roadmap and budget"));
        assertThat(again.version()).isEqualTo(2);
        assertThat(again.hasUncommittedEvents()).isFalse();
        assertThat(repo.exists(id)).isTrue();
    }

    @Test
    void state_before_any_event_is_the_initial_state() {
        NoteAggregate note = repo.createNew(UUID.randomUUID());

        assertThat(note.state()).isEqualTo(new NoteState(note.aggregateId(), "", ""));
        assertThat(note.version()).isZero();
    }

    @Test
    void loading_a_missing_aggregate_throws_but_find_and_load_or_create_do_not() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> repo.load(id)).isInstanceOf(AggregateNotFoundException.class)
                .hasMessageContaining(id.toString());
        assertThat(repo.find(id)).isEmpty();
        assertThat(repo.loadOrCreate(id).version()).isZero();
        assertThat(repo.exists(id)).isFalse();
    }

    @Test
    void saving_without_new_events_writes_nothing() {
        UUID id = UUID.randomUUID();
        NoteAggregate note = repo.createNew(id);
        note.create("t", "c");
        repo.save(note);

        assertThat(repo.save(note)).isEmpty();
        assertThat(store.globalPosition()).isEqualTo(1);
    }

    @Test
    void a_stale_save_is_refused_and_keeps_its_uncommitted_events() {
        UUID id = UUID.randomUUID();
        NoteAggregate note = repo.createNew(id);
        note.create("t", "c");
        repo.save(note);
        NoteAggregate first = repo.load(id);
        NoteAggregate second = repo.load(id);
        first.update("first");
        repo.save(first);
        second.update("second");

        assertThatThrownBy(() -> repo.save(second)).isInstanceOfSatisfying(OptimisticLockException.class, e -> {
            assertThat(e.actualVersion()).isEqualTo(2);
            assertThat(e.expected().version()).isEqualTo(1);
        });
        assertThat(second.uncommittedEvents()).containsExactly(new NoteUpdated("second"));
        assertThat(repo.load(id).state().content()).isEqualTo("first");
    }

    @Test
    void creating_an_aggregate_that_exists_is_a_conflict() {
        UUID id = UUID.randomUUID();
        NoteAggregate note = repo.createNew(id);
        note.create("t", "c");
        repo.save(note);
        NoteAggregate duplicate = repo.createNew(id);
        duplicate.create("t2", "c2");

        assertThatThrownBy(() -> repo.save(duplicate)).isInstanceOf(OptimisticLockException.class);
    }

    @Test
    void metadata_given_to_save_is_stored_on_every_event() {
        UUID id = UUID.randomUUID();
        UUID actor = UUID.randomUUID();
        NoteAggregate note = repo.createNew(id);
        note.create("t", "c");
        note.update("d");
        repo.save(note, EventMetadata.EMPTY.withTenantId("acme").withActorId(actor).withExtra("via", "test"));

        List<StoredEvent> events = store.getEvents(id, "Note").events();
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.tenantId()).isEqualTo("acme");
            assertThat(e.metadata().actorId()).isEqualTo(actor);
            assertThat(e.metadata().extras()).containsEntry("via", "test");
        });
    }

    @Test
    void the_declarative_style_dispatches_to_handles_methods() {
        var declarative = new AggregateRepository<>(store, DeclarativeNote::new, "Note");
        UUID id = UUID.randomUUID();
        DeclarativeNote note = declarative.createNew(id);
        note.create("t", "c");
        note.update("d");
        declarative.save(note);

        assertThat(declarative.load(id).state()).isEqualTo(new NoteState(id, "t", "d"));
        assertThat(repo.load(id).state()).isEqualTo(declarative.load(id).state());
    }

    @Test
    void an_aggregate_without_apply_or_handlers_is_refused_with_a_hint() {
        Neither neither = new Neither(UUID.randomUUID());

        assertThatThrownBy(neither::touch).isInstanceOf(IllegalStateException.class).hasMessageContaining("@Handles");
    }

    @Test
    void refuses_a_blank_aggregate_type() {
        assertThatThrownBy(() -> new AggregateRepository<>(store, NoteAggregate::new, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregateType");
    }

    @Test
    void repositories_for_two_types_keep_separate_streams_under_one_id() {
        var other = new AggregateRepository<>(store, NoteAggregate::new, "Draft");
        UUID id = UUID.randomUUID();
        NoteAggregate note = repo.createNew(id);
        note.create("note", "n");
        repo.save(note);

        assertThat(other.exists(id)).isFalse();
    }
}
