package dev.eventsource.examples;

// quickstart:start
import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.sqlite.SQLiteEventStore;

import java.util.UUID;

/** Creates a note, saves it, loads it back, updates it: the round trip on SQLite. */
public class Quickstart {

    record NoteCreated(String title, String content) implements DomainEvent {}
    record NoteUpdated(String content) implements DomainEvent {}
    record NoteState(UUID noteId, String title, String content) {}

    static class NoteAggregate extends AggregateRoot<NoteState> {
        NoteAggregate(UUID id) { super(id); }

        @Override protected NoteState initialState() { return new NoteState(aggregateId(), "", ""); }

        @Override protected NoteState apply(NoteState s, DomainEvent e) {
            if (e instanceof NoteCreated c) return new NoteState(aggregateId(), c.title(), c.content());
            if (e instanceof NoteUpdated u) return new NoteState(aggregateId(), s.title(), u.content());
            return s;
        }

        void create(String title, String content) { applyEvent(new NoteCreated(title, content)); }
        void update(String content) { applyEvent(new NoteUpdated(content)); }
    }

    public static void main(String[] args) {
        try (var store = new SQLiteEventStore(":memory:")) {   // or a file: new SQLiteEventStore("events.db")
            store.initialize();
            var notes = new AggregateRepository<>(store, NoteAggregate::new, "Note");

            UUID id = UUID.randomUUID();
            NoteAggregate note = notes.createNew(id);
            note.create("Meeting Notes", "Discuss Q4 roadmap");
            notes.save(note);

            NoteAggregate loaded = notes.load(id);
            loaded.update("Discuss Q4 roadmap and budget");
            notes.save(loaded);

            System.out.println(loaded.state().title() + ": " + loaded.state().content() + " (version " + loaded.version() + ")");
        }
    }
}
// quickstart:end
