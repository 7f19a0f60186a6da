package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.tck.SnapshotStoreContract;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;

/** Snapshots on a real PostgreSQL honour the shared snapshot contract, each store in a schema of its own. */
class PostgreSQLSnapshotStoreContractTest extends SnapshotStoreContract {

    private PostgreSQLEventStore events;

    @Override
    protected SnapshotStore newSnapshotStore() {
        events = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(PostgresTestServer.freshSchema())
                .eventRegistry(new EventRegistry()).build();
        return new PostgreSQLSnapshotStore(events);
    }

    @AfterEach
    void closeStore() {
        events.close();
    }
}
