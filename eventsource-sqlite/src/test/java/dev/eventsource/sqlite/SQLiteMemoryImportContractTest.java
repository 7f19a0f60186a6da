package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.ImportContract;

/** An in-memory SQLite store honours the import contract. */
class SQLiteMemoryImportContractTest extends ImportContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new SQLiteEventStore(SQLiteEventStore.MEMORY, registry);
    }
}
