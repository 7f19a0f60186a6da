package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.PersistentEventStoreContract;
import dev.eventsource.test.PostgresTestServer;

/** The whole TCK against a real PostgreSQL, each store in a schema of its own. */
class PostgreSQLEventStoreContractTest extends PersistentEventStoreContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(PostgresTestServer.freshSchema())
                .eventRegistry(registry)
                .build();
    }

    /**
     * Like a second application process: a store with a pool of its own, which its close() shuts
     * down, smaller than the close race's thread count so that some threads wait for a connection.
     */
    @Override
    protected EventStore reopen(EventStore store, EventRegistry registry) {
        return PostgreSQLEventStore.builder(PostgresTestServer.url())
                .schema(((PostgreSQLEventStore) store).schema())
                .maxPoolSize(4)
                .eventRegistry(registry)
                .build();
    }
}
