package dev.eventsource.benchmarks;

import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.sqlite.Synchronous;

import java.io.IOException;
import java.nio.file.Path;

/** Fresh database files for a benchmark trial. */
final class Files {

    static Path newDatabase(String name) throws IOException {
        Path dir = java.nio.file.Files.createTempDirectory("eventsource-bench-");
        return dir.resolve(name + ".db");
    }

    /** A file store with the given durability, schema created. */
    static SQLiteEventStore store(Path file, String synchronous) {
        SQLiteEventStore store = SQLiteEventStore.builder(file.toString())
                .synchronous(Synchronous.valueOf(synchronous)).tracing(false).build();
        store.initialize();
        return store;
    }

    /** Creates the schema in {@code file} and closes the store, for raw JDBC to write into. */
    static void schemaOnly(Path file) {
        store(file, "FULL").close();
    }

    static void delete(Path file) {
        SQLiteEventStore.deleteDatabase(file);
        file.getParent().toFile().delete();
    }

    private Files() {
    }
}
