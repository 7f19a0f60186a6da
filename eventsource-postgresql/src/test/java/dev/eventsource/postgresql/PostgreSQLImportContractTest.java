package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.ImportContract;
import dev.eventsource.test.PostgresTestServer;

/** The import contract on a real PostgreSQL, each store in a schema of its own. */
class PostgreSQLImportContractTest extends ImportContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(PostgresTestServer.freshSchema())
                .eventRegistry(registry)
                .build();
    }
}
