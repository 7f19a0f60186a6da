package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.ImportContract;

/** The import contract on a real PostgreSQL, each store in a schema of its own. */
class PostgreSQLImportContractTest extends ImportContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return PostgreSQLEventStore.builder(TestPostgres.dataSource())
                .schema(TestPostgres.freshSchema())
                .eventRegistry(registry)
                .build();
    }
}
