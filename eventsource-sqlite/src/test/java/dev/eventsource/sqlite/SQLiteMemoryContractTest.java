package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.EventStoreContract;

/** An in-memory SQLite store honours every contract a store without a second instance can. */
class SQLiteMemoryContractTest extends EventStoreContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new SQLiteEventStore(":memory:", registry);
    }
}
