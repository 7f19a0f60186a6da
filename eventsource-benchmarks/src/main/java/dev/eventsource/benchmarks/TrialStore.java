package dev.eventsource.benchmarks;

import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.test.PostgresTestServer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The store of one benchmark trial: a new SQLite file with the store's defaults ({@code synchronous=FULL}),
 * or a fresh schema on the PostgreSQL server named by {@code EVENTSOURCE_TEST_POSTGRES_URL} (or one
 * {@link PostgresTestServer} starts for the fork). {@link #close()} drops the schema or deletes the file.
 *
 * @param sqlite   the SQLite store, or null
 * @param postgres the PostgreSQL store, or null
 */
record TrialStore(SQLiteEventStore sqlite, PostgreSQLEventStore postgres, Path file, String schema) implements AutoCloseable {

    /** Opens and initializes a store of {@code backend} ({@code sqlite} or {@code postgresql}); {@code name} names the file. */
    static TrialStore open(String backend, String name) throws IOException {
        switch (backend) {
            case "sqlite" -> {
                Path file = Files.newDatabase(name);
                return new TrialStore(Files.store(file, "FULL"), null, file, null);
            }
            case "postgresql" -> {
                String schema = PostgresTestServer.freshSchema();
                PostgreSQLEventStore postgres = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema)
                        .maxPoolSize(4).tracing(false).build();
                postgres.initialize();
                return new TrialStore(null, postgres, null, schema);
            }
            default -> throw new IllegalArgumentException("backend must be sqlite or postgresql; got " + backend);
        }
    }

    AbstractEventStore store() {
        return sqlite != null ? sqlite : postgres;
    }

    @Override
    public void close() throws Exception {
        if (postgres != null) {
            BenchLogs.dropSchema(postgres, schema);
        }
        store().close();
        if (file != null) {
            Files.delete(file);
        }
    }
}
