package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.tck.SnapshotStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Snapshots in a SQLite file honour the shared snapshot contract. */
class SQLiteFileSnapshotStoreContractTest extends SnapshotStoreContract {

    @TempDir
    Path dir;

    private SQLiteEventStore events;

    @Override
    protected SnapshotStore newSnapshotStore() {
        events = new SQLiteEventStore(dir.resolve("snapshots.db").toString(), new EventRegistry());
        return new SQLiteSnapshotStore(events);
    }

    @AfterEach
    void closeStore() {
        events.close();
    }
}
