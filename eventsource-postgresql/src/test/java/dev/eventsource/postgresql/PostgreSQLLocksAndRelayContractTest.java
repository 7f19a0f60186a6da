package dev.eventsource.postgresql;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.test.PostgresTestServer;
import dev.eventsource.tck.LocksAndRelayContracts;

import java.util.function.Supplier;

/** PostgreSQL's advisory locks and a relay, with instances as separate stores on one fresh schema. */
class PostgreSQLLocksAndRelayContractTest extends LocksAndRelayContracts.WithProjections {

    @Override
    protected Supplier<EventStoreBackend> database(EventRegistry registry) {
        String schema = PostgresTestServer.freshSchema();
        return () -> new PostgreSQLBackend(PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(schema).eventRegistry(registry).build());
    }
}
