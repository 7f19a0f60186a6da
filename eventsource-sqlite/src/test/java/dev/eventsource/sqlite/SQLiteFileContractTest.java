package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.PersistentEventStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** A SQLite file store honours every contract, including those that open its file twice. */
class SQLiteFileContractTest extends PersistentEventStoreContract {

    @TempDir
    Path dir;

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new SQLiteEventStore(dir.resolve(UUID.randomUUID() + ".db").toString(), registry);
    }

    @Override
    protected EventStore reopen(EventStore store, EventRegistry registry) {
        return new SQLiteEventStore(((SQLiteEventStore) store).database(), registry);
    }
}
