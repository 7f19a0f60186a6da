package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.tck.DeadLetterStoreContract;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;

/** Dead letters on a real PostgreSQL honour the shared dead-letter contract, each store in a schema of its own. */
class PostgreSQLDeadLetterStoreContractTest extends DeadLetterStoreContract {

    private PostgreSQLEventStore events;

    @Override
    protected DeadLetterStore newDeadLetterStore() {
        events = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(PostgresTestServer.freshSchema())
                .eventRegistry(new EventRegistry()).build();
        return new PostgreSQLDeadLetterStore(events);
    }

    @AfterEach
    void closeStore() {
        events.close();
    }
}
