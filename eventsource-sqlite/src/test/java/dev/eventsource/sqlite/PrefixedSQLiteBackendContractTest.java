package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.tck.BackendContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** The backend contract on a SQLite store whose tables carry a prefix, in a file that holds an application's own {@code events} table. */
class PrefixedSQLiteBackendContractTest extends BackendContract {

    @TempDir
    Path dir;

    @Override
    protected EventStoreBackend newBackend(EventRegistry registry) {
        String file = dir.resolve(UUID.randomUUID() + ".db").toString();
        SQLiteTablePrefixTest.createApplicationTables(file);
        return new SQLiteBackend(SQLiteEventStore.builder(file).tablePrefix("es_")
                .eventRegistry(registry).synchronous(Synchronous.NORMAL).build());
    }
}
