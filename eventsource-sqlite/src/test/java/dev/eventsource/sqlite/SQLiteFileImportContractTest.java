package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.ImportContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** A SQLite file store honours the import contract. */
class SQLiteFileImportContractTest extends ImportContract {

    @TempDir
    Path dir;

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new SQLiteEventStore(dir.resolve(UUID.randomUUID() + ".db").toString(), registry);
    }
}
