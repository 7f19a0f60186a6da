package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.tck.SnapshotStoreContract;
import org.junit.jupiter.api.AfterEach;

/** Snapshots in an in-memory SQLite database honour the shared snapshot contract. */
class SQLiteMemorySnapshotStoreContractTest extends SnapshotStoreContract {

    private SQLiteEventStore events;

    @Override
    protected SnapshotStore newSnapshotStore() {
        events = new SQLiteEventStore(SQLiteEventStore.MEMORY, new EventRegistry());
        return new SQLiteSnapshotStore(events);
    }

    @AfterEach
    void closeStore() {
        events.close();
    }
}
