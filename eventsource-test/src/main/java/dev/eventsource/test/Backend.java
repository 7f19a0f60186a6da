package dev.eventsource.test;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.InMemoryEventStore;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The store a test runs against, chosen with {@link EventStoreTest#backend()}.
 *
 * <p>Every backend hands each test method a fresh, empty, initialized store and releases it
 * afterwards. A backend that lives in its own module needs that module on the test class path;
 * without it the test fails with a message naming the Maven artifact to add.
 */
public enum Backend {

    /** {@link InMemoryEventStore}: no I/O, nothing to add. The default. */
    IN_MEMORY(null, null) {
        @Override
        OpenStore open(EventRegistry registry) {
            InMemoryEventStore store = new InMemoryEventStore(registry);
            store.initialize();
            return new OpenStore(store, null);
        }
    },

    /** A SQLite {@code :memory:} database; needs {@code eventsource-sqlite}. */
    SQLITE_MEMORY("dev.eventsource.sqlite.SQLiteEventStore", "eventsource-sqlite") {
        @Override
        OpenStore open(EventRegistry registry) {
            return new OpenStore(EventStores.open("sqlite::memory:", registry), null);
        }
    },

    /**
     * A SQLite database in a new temporary file, deleted after the test together with its
     * {@code -wal} and {@code -shm} companions; needs {@code eventsource-sqlite}. For tests of
     * what only a file shows (WAL mode, a second connection, reopening).
     */
    SQLITE_FILE("dev.eventsource.sqlite.SQLiteEventStore", "eventsource-sqlite") {
        @Override
        OpenStore open(EventRegistry registry) {
            Path directory = createTempDirectory();
            try {
                return new OpenStore(EventStores.open("jdbc:sqlite:" + directory.resolve("events.db"), registry), directory);
            } catch (RuntimeException e) {
                deleteRecursively(directory);
                throw e;
            }
        }
    },

    /**
     * Reserved for PostgreSQL; needs {@code eventsource-postgresql}. Not wired yet: with the module
     * present the test fails saying so.
     */
    POSTGRESQL("dev.eventsource.postgresql.PostgreSQLEventStore", "eventsource-postgresql") {
        @Override
        OpenStore open(EventRegistry registry) {
            throw new ExtensionConfigurationException("Backend.POSTGRESQL is reserved: this version of eventsource-test"
                    + " cannot provide a PostgreSQL database yet. Use IN_MEMORY, SQLITE_MEMORY or SQLITE_FILE.");
        }
    };

    private final String storeClass;
    private final String artifactId;

    Backend(String storeClass, String artifactId) {
        this.storeClass = storeClass;
        this.artifactId = artifactId;
    }

    /** Opens and initializes a fresh store. */
    abstract OpenStore open(EventRegistry registry);

    /**
     * Why this backend cannot be used from {@code loader}, or {@code null} when it can.
     */
    String missingModule(ClassLoader loader) {
        if (storeClass == null) {
            return null;
        }
        try {
            Class.forName(storeClass, false, loader);
            return null;
        } catch (ClassNotFoundException e) {
            return "Backend." + name() + " needs the " + artifactId + " module on the test class path. Add to your pom.xml:"
                    + " <dependency><groupId>dev.eventsource</groupId><artifactId>" + artifactId
                    + "</artifactId><scope>test</scope></dependency>";
        }
    }

    /** A store opened for one test and what must be removed once it is closed. */
    record OpenStore(EventStore store, Path directory) {

        /** Closes the store, then deletes its files. */
        void release() {
            try {
                store.close();
            } finally {
                if (directory != null) {
                    deleteRecursively(directory);
                }
            }
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("eventsource-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Backend.SQLITE_FILE", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test database in " + directory, e);
        }
    }
}
