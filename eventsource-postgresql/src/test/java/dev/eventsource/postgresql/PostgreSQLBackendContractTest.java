package dev.eventsource.postgresql;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.tck.BackendContract;
import dev.eventsource.test.PostgresTestServer;

/** The PostgreSQL backend's parts, on a real server, serve a decorated store. */
class PostgreSQLBackendContractTest extends BackendContract {

    @Override
    protected EventStoreBackend newBackend(EventRegistry registry) {
        return new PostgreSQLBackend(PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(PostgresTestServer.freshSchema()).eventRegistry(registry).build());
    }
}
