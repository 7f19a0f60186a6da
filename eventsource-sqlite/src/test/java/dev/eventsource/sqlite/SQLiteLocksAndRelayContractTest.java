package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.tck.EventRelayContract;
import dev.eventsource.tck.ExclusiveProjectionContract;
import dev.eventsource.tck.ExclusiveSubscriptionContract;
import dev.eventsource.tck.ExclusiveLocksContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

/** SQLite's locks (a record-locked file beside the database) and a relay, with instances as separate stores on one file. */
class SQLiteLocksAndRelayContractTest {

    @TempDir
    static Path dir;

    static Supplier<EventStoreBackend> database(EventRegistry registry) {
        String file = dir.resolve(UUID.randomUUID() + ".db").toString();
        return () -> new SQLiteBackend(SQLiteEventStore.builder(file).eventRegistry(registry)
                .synchronous(Synchronous.NORMAL).build());
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
