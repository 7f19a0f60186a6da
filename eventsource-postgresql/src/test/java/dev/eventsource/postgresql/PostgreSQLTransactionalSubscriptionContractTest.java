package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import dev.eventsource.tck.TransactionalSubscriptionContract;
import dev.eventsource.test.PostgresTestServer;

/** Transactional projections on a real PostgreSQL, the read model and the checkpoints in the store's schema. */
class PostgreSQLTransactionalSubscriptionContractTest extends TransactionalSubscriptionContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(PostgresTestServer.freshSchema())
                .eventRegistry(registry).build();
    }

    @Override
    protected EventImporter importer(EventStore store) {
        return (PostgreSQLEventStore) store;
    }

    @Override
    protected TransactionalCheckpointStore newCheckpointStore(EventStore store) {
        return new PostgreSQLCheckpointStore((PostgreSQLEventStore) store);
    }

    @Override
    protected DeadLetterStore newDeadLetterStore(EventStore store) {
        return new PostgreSQLDeadLetterStore((PostgreSQLEventStore) store);
    }

    @Override
    protected String table(EventStore store, String table) {
        return ((PostgreSQLEventStore) store).schema() + "." + table;
    }
}
