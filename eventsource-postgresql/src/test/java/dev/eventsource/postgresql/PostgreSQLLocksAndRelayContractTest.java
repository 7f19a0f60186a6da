package dev.eventsource.postgresql;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.tck.EventRelayContract;
import dev.eventsource.tck.ExclusiveProjectionContract;
import dev.eventsource.tck.ExclusiveSubscriptionContract;
import dev.eventsource.tck.ExclusiveLocksContract;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Nested;

import java.util.function.Supplier;

/** PostgreSQL's advisory locks and a relay, with instances as separate stores on one fresh schema. */
class PostgreSQLLocksAndRelayContractTest {

    static Supplier<EventStoreBackend> database(EventRegistry registry) {
        String schema = PostgresTestServer.freshSchema();
        return () -> new PostgreSQLBackend(PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(schema).eventRegistry(registry).build());
    }

    @Nested
    class Locks extends ExclusiveLocksContract {
        @Override
        protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
            return database(registry);
        }
    }

    @Nested
    class Relay extends EventRelayContract {
        @Override
        protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
            return database(registry);
        }
    }

    @Nested
    class ExclusiveSubscriptions extends ExclusiveSubscriptionContract {
        @Override
        protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
            return database(registry);
        }
    }

    @Nested
    class ExclusiveProjection extends ExclusiveProjectionContract {
        @Override
        protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
            return database(registry);
        }
    }
}
