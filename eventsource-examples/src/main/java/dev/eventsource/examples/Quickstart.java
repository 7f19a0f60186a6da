package dev.eventsource.examples;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.sqlite.SQLiteEventStore;

import java.util.UUID;

/**
 * The README's quickstart: a note is created, saved, loaded back, updated and saved again, in an
 * in-memory SQLite database. The lines between the {@code quickstart} markers are the README's
 * code block (a test keeps the two equal).
 */
public final class Quickstart {

    // quickstart:start
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
    // quickstart:end

    private Quickstart() {
    }

    public static void main(String[] args) {
        // quickstart:start
        try (SQLiteEventStore store = new SQLiteEventStore(":memory:")) {   // or a file path
            store.initialize();
            var repo = new AggregateRepository<>(store, NoteAggregate::new, "Note");
            UUID id = UUID.randomUUID();
            NoteAggregate note = repo.createNew(id);
            note.create("Meeting Notes", "Discuss Q4 roadmap");
            repo.save(note);                                   // version 1
            NoteAggregate loaded = repo.load(id);
            loaded.update("Discuss Q4 roadmap and budget");
            repo.save(loaded);                                 // version 2; OptimisticLockException on a conflict
            System.out.println(loaded.state() + " at version " + loaded.version());
        }
        // quickstart:end
    }
}
