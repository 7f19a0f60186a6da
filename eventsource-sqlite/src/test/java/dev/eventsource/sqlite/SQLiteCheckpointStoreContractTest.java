package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.tck.CheckpointStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Checkpoints in a SQLite file honour the shared checkpoint contract. */
class SQLiteCheckpointStoreContractTest extends CheckpointStoreContract {

    @TempDir
    Path dir;

    private SQLiteEventStore events;

    @Override
    protected CheckpointStore newCheckpointStore() {
        events = new SQLiteEventStore(dir.resolve("checkpoints.db").toString(), new EventRegistry());
        return new SQLiteCheckpointStore(events);
    }

    @AfterEach
    void closeStore() {
        events.close();
    }
}
