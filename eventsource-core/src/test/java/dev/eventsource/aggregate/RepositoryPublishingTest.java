package dev.eventsource.aggregate;

import dev.eventsource.aggregate.AggregateRepositoryTest.NoteAggregate;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A repository that publishes what each save stored, after the commit, as the store recorded it. */
class RepositoryPublishingTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final List<StoredEvent> received = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() {
        bus.close();
        store.close();
    }

    private AggregateRepository<NoteAggregate> publishingTo(EventPublisher publisher) {
        return AggregateRepository.builder(store, NoteAggregate::new, "Note").publishTo(publisher).build();
    }

    private List<StoredEvent> stored() {
        try (Stream<StoredEvent> all = store.readAll()) {
            return all.toList();
        }
    }

    @Test
    void a_save_publishes_its_events_as_stored_with_ids_versions_and_positions_before_it_returns() {
        bus.subscribeToAll((event, envelope) -> received.add(envelope));
        AggregateRepository<NoteAggregate> notes = publishingTo(bus);
        NoteAggregate note = notes.createNew(UUID.randomUUID());
        note.create("t", "c");
        note.update("c2");

        notes.save(note);

        assertThat(received).extracting(StoredEvent::eventId).isEqualTo(stored().stream().map(StoredEvent::eventId).toList());
        assertThat(received).extracting(StoredEvent::version).containsExactly(1L, 2L);
        assertThat(received).extracting(StoredEvent::globalPosition)
                .isEqualTo(stored().stream().map(StoredEvent::globalPosition).toList());
    }

    @Test
    void a_second_save_publishes_only_its_own_events() {
        bus.subscribeToAll((event, envelope) -> received.add(envelope));
        AggregateRepository<NoteAggregate> notes = publishingTo(bus);
        NoteAggregate note = notes.createNew(UUID.randomUUID());
        note.create("t", "c");
        notes.save(note);
        received.clear();

        NoteAggregate loaded = notes.load(note.aggregateId());
        loaded.update("later");
        notes.save(loaded);

        assertThat(received).extracting(StoredEvent::version).containsExactly(2L);
        assertThat(received.get(0).event()).isEqualTo(new AggregateRepositoryTest.NoteUpdated("later"));
    }

    @Test
    void a_save_with_nothing_new_publishes_nothing() {
        bus.subscribeToAll((event, envelope) -> received.add(envelope));
        AggregateRepository<NoteAggregate> notes = publishingTo(bus);
        NoteAggregate note = notes.createNew(UUID.randomUUID());
        note.create("t", "c");
        notes.save(note);
        received.clear();

        assertThat(notes.save(note)).isEmpty();

        assertThat(received).isEmpty();
    }

    @Test
    void a_bus_that_refuses_the_publish_does_not_fail_the_committed_save() {
        InMemoryEventBus closed = new InMemoryEventBus();
        closed.close();
        AggregateRepository<NoteAggregate> notes = publishingTo(closed);
        NoteAggregate note = notes.createNew(UUID.randomUUID());
        note.create("t", "c");

        assertThat(notes.save(note)).isPresent();

        assertThat(stored()).hasSize(1);
        assertThat(note.hasUncommittedEvents()).isFalse();
    }
}
