package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.SnapshotRepositoryContract;
import dev.eventsource.test.PostgresTestServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

class PostgreSQLSnapshotRepositoryContractTest extends SnapshotRepositoryContract {

    private String schema;

    @Override
    protected EventStore newEventStore(EventRegistry registry) {
        schema = PostgresTestServer.freshSchema();
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema).eventRegistry(registry).build();
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore store) {
        return new PostgreSQLSnapshotStore((PostgreSQLEventStore) store);
    }

    @Override
    protected void corruptSnapshot(EventStore store, UUID aggregateId, String aggregateType) throws Exception {
        // Valid jsonb (the column refuses anything else) that is not the aggregate's state.
        try (Connection c = PostgresTestServer.connect(); PreparedStatement update = c.prepareStatement("UPDATE " + schema
                + ".eventsource_snapshots SET state = '[\"not\", \"an\", \"account\"]' WHERE aggregate_type = ? AND aggregate_id = ?")) {
            update.setString(1, aggregateType);
            update.setObject(2, aggregateId);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no snapshot row to damage for " + aggregateType + "/" + aggregateId);
            }
        }
    }
}
