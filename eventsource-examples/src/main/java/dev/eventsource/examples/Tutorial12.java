package dev.eventsource.examples;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.examples.Quickstart.NoteAggregate;
import dev.eventsource.sqlite.SQLiteEventStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Tutorial 12, "Using SQLite for development and testing", as one program: an in-memory database,
 * a file that survives a reopen and is then deleted, the configuration options, and the pattern a
 * test fixture follows. It uses the note events and aggregate of {@link Quickstart}: one process
 * (here, the examples' test suite) cannot register two different classes under one event type
 * name in the default registry.
 *
 * <p>Run with {@code mvn -q -pl eventsource-examples exec:java -Dexec.mainClass=dev.eventsource.examples.Tutorial12};
 * the first argument, if any, is the database file for the file-based demo (default
 * {@code tutorial_notes.db}, deleted at the end).
 */
public final class Tutorial12 {

    private Tutorial12() {
    }

    public static void main(String[] args) {
        Path database = Path.of(args.length > 0 ? args[0] : "tutorial_notes.db");
        inMemoryDemo();
        fileBasedDemo(database);
        configurationDemo();
        testFixturePattern();
    }

    static void inMemoryDemo() {
        System.out.println("=== In-Memory SQLite Demo ===\n");

        // try-with-resources is the context manager: the database vanishes when the store closes.
        try (SQLiteEventStore store = new SQLiteEventStore(":memory:")) {
            store.initialize();
            var repo = new AggregateRepository<>(store, NoteAggregate::new, "Note");

            UUID noteId = UUID.randomUUID();
            NoteAggregate note = repo.createNew(noteId);
            note.create("Meeting Notes", "Discuss Q4 roadmap");
            repo.save(note);
            System.out.println("Created note: " + note.state().title());

            NoteAggregate loaded = repo.load(noteId);
            loaded.update("Updated: Discuss Q4 roadmap and budget");
            repo.save(loaded);
            System.out.println("Updated note: " + loaded.state().content());
            System.out.println("Version: " + loaded.version());
        }
        System.out.println("Database cleaned up automatically\n");
    }

    static void fileBasedDemo(Path database) {
        System.out.println("=== File-Based SQLite Demo ===\n");

        UUID noteId = UUID.randomUUID();
        try (SQLiteEventStore store = SQLiteEventStore.builder(database.toString()).walMode(true).build()) {
            store.initialize();
            var repo = new AggregateRepository<>(store, NoteAggregate::new, "Note");

            NoteAggregate note = repo.createNew(noteId);
            note.create("Development Notes", "Testing SQLite storage");
            repo.save(note);
            System.out.println("Note saved to " + database);
            System.out.println("Note ID: " + noteId);
        }
        System.out.println("Database file exists: " + Files.exists(database));

        try (SQLiteEventStore store = new SQLiteEventStore(database.toString())) {
            store.initialize();
            var repo = new AggregateRepository<>(store, NoteAggregate::new, "Note");
            System.out.println("Reopened and loaded: " + repo.load(noteId).state().title());
        }

        SQLiteEventStore.deleteDatabase(database);
        System.out.println("Cleaned up database files\n");
    }

    static void configurationDemo() {
        System.out.println("=== Configuration Options Demo ===\n");

        try (SQLiteEventStore store = new SQLiteEventStore(":memory:")) {
            store.initialize();
            System.out.println("Database: " + store.database());
            System.out.println("WAL mode: " + store.walMode());
            System.out.println("Busy timeout: " + store.busyTimeout().toMillis() + "ms");
            System.out.println("Connected: " + store.isConnected());
        }
        System.out.println();

        try (SQLiteEventStore store = SQLiteEventStore.builder(":memory:")
                .walMode(false)
                .busyTimeout(Duration.ofSeconds(10))
                .tracing(false)
                .build()) {
            store.initialize();
            System.out.println("Custom WAL mode: " + store.walMode());
            System.out.println("Custom busy timeout: " + store.busyTimeout().toMillis() + "ms");
        }
        System.out.println();
    }

    /**
     * What a test fixture does for each test: a fresh registry and store, initialized, then
     * closed. In JUnit, {@code @EventStoreTest(backend = Backend.SQLITE_MEMORY)} from
     * eventsource-test does this for every test method.
     */
    static void testFixturePattern() {
        System.out.println("=== Test Fixture Pattern ===\n");

        try (SQLiteEventStore store = new SQLiteEventStore(":memory:", new EventRegistry())) {
            store.initialize();
            var repo = new AggregateRepository<>(store, NoteAggregate::new, "Note");

            NoteAggregate note = repo.createNew(UUID.randomUUID());
            note.create("Test Note", "Test content");
            repo.save(note);
            System.out.println("Test infrastructure created successfully");
            System.out.println("Note created with version: " + note.version());
        }
        System.out.println("Test cleanup complete\n");
    }
}
