package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.tck.LocksAndRelayContracts;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

/** SQLite's locks (a record-locked file beside the database) and a relay, with instances as separate stores on one file. */
class SQLiteLocksAndRelayContractTest extends LocksAndRelayContracts.WithProjections {

    @TempDir
    static Path dir;

    @Override
    protected Supplier<EventStoreBackend> database(EventRegistry registry) {
        String file = dir.resolve(UUID.randomUUID() + ".db").toString();
        return () -> new SQLiteBackend(SQLiteEventStore.builder(file).eventRegistry(registry)
                .synchronous(Synchronous.NORMAL).build());
    }
}
