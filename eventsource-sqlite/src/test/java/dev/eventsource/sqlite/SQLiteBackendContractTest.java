package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.tck.BackendContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** The SQLite backend's parts, on a real file, serve a decorated store. */
class SQLiteBackendContractTest extends BackendContract {

    @TempDir
    Path dir;

    @Override
    protected EventStoreBackend newBackend(EventRegistry registry) {
        return new SQLiteBackend(SQLiteEventStore.builder(dir.resolve(UUID.randomUUID() + ".db").toString())
                .eventRegistry(registry).synchronous(Synchronous.NORMAL).build());
    }
}
