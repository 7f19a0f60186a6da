package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.tck.SubscriptionContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** Subscriptions over a SQLite file, with checkpoints and dead letters in the same file. */
class SQLiteFileSubscriptionContractTest extends SubscriptionContract {

    @TempDir
    Path dir;

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return SQLiteEventStore.builder(dir.resolve(UUID.randomUUID() + ".db").toString()).eventRegistry(registry)
                .synchronous(Synchronous.NORMAL).build();
    }

    @Override
    protected CheckpointStore newCheckpointStore(EventStore store) {
        return new SQLiteCheckpointStore((SQLiteEventStore) store);
    }

    @Override
    protected DeadLetterStore newDeadLetterStore(EventStore store) {
        return new SQLiteDeadLetterStore((SQLiteEventStore) store);
    }
}
