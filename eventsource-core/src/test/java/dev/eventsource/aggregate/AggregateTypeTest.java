package dev.eventsource.aggregate;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StreamId;
import dev.eventsource.subscription.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregateTypeTest {

    record Written(String text) implements DomainEvent {}

    @AggregateType("Note")
    static final class Note extends AggregateRoot<String> {
        Note(UUID id) { super(id); }

        @Override protected String initialState() { return ""; }

        @Handles String on(String s, Written w) { return s + w.text(); }

        void write(String text) { applyEvent(new Written(text)); }
    }

    static final class Undeclared extends AggregateRoot<String> {
        Undeclared(UUID id) { super(id); }

        @Override protected String initialState() { return ""; }
    }

    @AggregateType(" ")
    static final class Blank extends AggregateRoot<String> {
        Blank(UUID id) { super(id); }

        @Override protected String initialState() { return ""; }
    }

    /** Not inherited: a subclass declares its own type. */
    static class Base extends AggregateRoot<String> {
        Base(UUID id) { super(id); }

        @Override protected String initialState() { return ""; }
    }

    @AggregateType("Base")
    static class AnnotatedBase extends Base {
        AnnotatedBase(UUID id) { super(id); }
    }

    static final class Sub extends AnnotatedBase {
        Sub(UUID id) { super(id); }
    }

    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry());

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void a_repository_takes_the_aggregate_type_from_the_class() {
        AggregateRepository<Note> notes = new AggregateRepository<>(store, Note.class, Note::new);
        UUID id = UUID.randomUUID();
        Note note = notes.createNew(id);
        note.write("hello");
        notes.save(note);

        assertThat(notes.aggregateType()).isEqualTo("Note");
        assertThat(notes.streamId(id)).isEqualTo(StreamId.of("Note", id));
        assertThat(store.getEvents(id, "Note").version()).isEqualTo(1);
        assertThat(new AggregateRepository<>(store, Note::new, "Note").load(id).state()).isEqualTo("hello");
    }

    @Test
    void the_builders_take_the_aggregate_type_from_the_class() {
        assertThat(AggregateRepository.builder(store, Note.class, Note::new).build().aggregateType()).isEqualTo("Note");
        assertThat(AggregateRepository.builder(store, store, store.mapper(), Note.class, Note::new).build().aggregateType())
                .isEqualTo("Note");
        try (var backend = new dev.eventsource.backend.InMemoryBackend(new EventRegistry())) {
            assertThat(backend.repository(Note.class, Note::new).build().aggregateType()).isEqualTo("Note");
        }
    }

    @Test
    void subscription_options_filter_on_the_types_aggregate_classes_declare() {
        assertThat(SubscriptionOptions.builder().aggregateTypes(
                        AggregateRepository.aggregateTypeOf(Note.class), AggregateRepository.aggregateTypeOf(AnnotatedBase.class))
                .build().aggregateTypes())
                .containsExactlyInAnyOrder("Note", "Base");
    }

    @Test
    void a_class_without_the_annotation_is_refused_naming_the_annotation() {
        assertThatThrownBy(() -> new AggregateRepository<>(store, Undeclared.class, Undeclared::new))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@AggregateType(\"Undeclared\")")
                .hasMessageContaining(Undeclared.class.getName());
    }

    @Test
    void a_blank_declared_type_is_refused() {
        assertThatThrownBy(() -> AggregateRepository.aggregateTypeOf(Blank.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be non-blank");
    }

    @Test
    void a_null_class_is_refused() {
        assertThatThrownBy(() -> AggregateRepository.aggregateTypeOf(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateClass");
    }

    @Test
    void the_annotation_is_not_inherited() {
        assertThat(AggregateRepository.aggregateTypeOf(AnnotatedBase.class)).isEqualTo("Base");
        assertThatThrownBy(() -> AggregateRepository.aggregateTypeOf(Sub.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
