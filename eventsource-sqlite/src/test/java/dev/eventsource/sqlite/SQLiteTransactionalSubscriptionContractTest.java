package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import dev.eventsource.tck.TransactionalSubscriptionContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

/** Transactional projections over a SQLite file, the read model and the checkpoints in the same file. */
class SQLiteTransactionalSubscriptionContractTest extends TransactionalSubscriptionContract {

    @TempDir
    Path dir;

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return SQLiteEventStore.builder(dir.resolve(UUID.randomUUID() + ".db").toString()).eventRegistry(registry)
                .synchronous(Synchronous.NORMAL).build();
    }

    @Override
    protected EventImporter importer(EventStore store) {
        return (SQLiteEventStore) store;
    }

    @Override
    protected TransactionalCheckpointStore newCheckpointStore(EventStore store) {
        return new SQLiteCheckpointStore((SQLiteEventStore) store);
    }

    @Override
    protected DeadLetterStore newDeadLetterStore(EventStore store) {
        return new SQLiteDeadLetterStore((SQLiteEventStore) store);
    }

    @Override
    protected String table(EventStore store, String table) {
        return table;
    }
}
