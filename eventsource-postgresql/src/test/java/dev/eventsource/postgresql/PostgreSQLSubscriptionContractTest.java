package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.tck.SubscriptionContract;
import dev.eventsource.test.PostgresTestServer;

/** Subscriptions on a real PostgreSQL, with checkpoints and dead letters in the store's schema and LISTEN/NOTIFY wake-ups. */
class PostgreSQLSubscriptionContractTest extends SubscriptionContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(PostgresTestServer.freshSchema())
                .eventRegistry(registry).build();
    }

    @Override
    protected CheckpointStore newCheckpointStore(EventStore store) {
        return new PostgreSQLCheckpointStore((PostgreSQLEventStore) store);
    }

    @Override
    protected DeadLetterStore newDeadLetterStore(EventStore store) {
        return new PostgreSQLDeadLetterStore((PostgreSQLEventStore) store);
    }

    @Override
    protected SubscriptionManager.Builder manager(EventStore store) {
        return super.manager(store).appendNotifier(new PostgreSQLAppendNotifier((PostgreSQLEventStore) store));
    }
}
