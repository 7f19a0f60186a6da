package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.tck.CheckpointStoreContract;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;

/** Checkpoints on a real PostgreSQL honour the shared checkpoint contract, each store in a schema of its own. */
class PostgreSQLCheckpointStoreContractTest extends CheckpointStoreContract {

    private PostgreSQLEventStore events;

    @Override
    protected CheckpointStore newCheckpointStore() {
        events = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(PostgresTestServer.freshSchema())
                .eventRegistry(new EventRegistry()).build();
        return new PostgreSQLCheckpointStore(events);
    }

    @AfterEach
    void closeStore() {
        events.close();
    }
}
