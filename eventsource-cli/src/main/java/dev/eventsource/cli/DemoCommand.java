package dev.eventsource.cli;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/**
 * The tutorial's notes example on a real store: create a note, update it, close the store, reopen
 * it as a new instance, reload the note and print its state and versions; then the commands to
 * look inside the store. Each run adds one note.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the tutorial's notes example (create, update, reload in a new store instance) on a store,"
                + " by default a SQLite file in the current directory, then show what to try next.")
final class DemoCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store to write to (default: ${DEFAULT-VALUE}); it is created if missing.")
    String url;

    /** A note was created. */
    public record NoteCreated(String title, String content) implements DomainEvent {
    }

    /** A note's content changed. */
    public record NoteUpdated(String content) implements DomainEvent {
    }

    /** The state of a note: an immutable value. */
    public record NoteState(UUID noteId, String title, String content) {
    }

    /** The tutorial's aggregate: {@code apply} is a pure transition. */
    static final class NoteAggregate extends AggregateRoot<NoteState> {
        NoteAggregate(UUID id) {
            super(id);
        }

        @Override
        protected NoteState initialState() {
            return new NoteState(aggregateId(), "", "");
        }

        @Override
        protected NoteState apply(NoteState state, DomainEvent event) {
            if (event instanceof NoteCreated c) {
                return new NoteState(aggregateId(), c.title(), c.content());
            }
            if (event instanceof NoteUpdated u) {
                return new NoteState(aggregateId(), state.title(), u.content());
            }
            return state;
        }

        void create(String title, String content) {
            applyEvent(new NoteCreated(title, content));
        }

        void update(String content) {
            applyEvent(new NoteUpdated(content));
        }
    }

    @Override
    public Integer call() {
        var out = out();
        out.println("The notes example of tutorial 12 on " + Stores.shown(url));
        out.println();
        UUID id = UUID.randomUUID();
        Stores.openOrCreate(url).close();
        String resolved = Stores.resolve(url);   // a bare file path is the SQLite store in it, as for every command
        try (EventStore store = EventStores.open(resolved, new EventRegistry())) {
            var notes = new AggregateRepository<>(store, NoteAggregate::new, "Note");
            NoteAggregate note = notes.createNew(id);
            note.create("Meeting Notes", "Discuss Q4 roadmap");
            notes.save(note);
            out.println("1. Created note " + id);
            out.println("   NoteCreated(title=\"Meeting Notes\", content=\"Discuss Q4 roadmap\")   version " + note.version());
            NoteAggregate loaded = notes.load(id);
            loaded.update("Discuss Q4 roadmap and budget");
            notes.save(loaded);
            out.println("2. Loaded it and updated it");
            out.println("   NoteUpdated(content=\"Discuss Q4 roadmap and budget\")                 version " + loaded.version());
        }
        // A reader in another process knows the event classes only if it registers them.
        EventRegistry registry = new EventRegistry().registerAll(NoteCreated.class, NoteUpdated.class);
        try (EventStore store = EventStores.open(resolved, registry)) {
            NoteAggregate reloaded = new AggregateRepository<>(store, NoteAggregate::new, "Note").load(id);
            out.println("3. Closed the store, opened " + Stores.shown(url) + " again as a new store instance and replayed the note:");
            out.println("   title   = " + reloaded.state().title());
            out.println("   content = " + reloaded.state().content());
            out.println("   version = " + reloaded.version() + " (stream Note/" + id + ")");
            out.println("   The store now holds " + store.globalPosition() + " events; each run of the demo adds one note.");
        }
        if (common.quiet) {
            return ExitCode.OK;
        }
        String run = self() + " ";
        String u = shellWord(Stores.shown(url));
        out.println();
        out.println("Look inside the store (streams, this note's events, counts and size, integrity):");
        out.println("  " + run + "streams " + u);
        out.println("  " + run + "events " + u + " Note " + id);
        out.println("  " + run + "stats " + u);
        out.println("  " + run + "verify " + u);
        out.println("Follow it live, then run the demo again in another terminal (Ctrl-C to stop):");
        out.println("  " + run + "tail " + u);
        out.println("Every command: " + run + "--help");
        out.flush();
        return ExitCode.OK;
    }
}
