package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import org.junit.jupiter.api.Nested;

import java.util.function.Supplier;

/**
 * Every contract of a backend's {@link dev.eventsource.lock.ExclusiveLocks} and what they guard, in
 * one class: the locks themselves, a relay ({@link EventRelayContract}) and exclusive subscriptions,
 * each against {@link #database} (application instances on one database). A backend's test extends
 * this, or {@link WithProjections} when its checkpoints are transactional, and names the database:
 *
 * <pre>{@code
 * class SQLiteLocksAndRelayContractTest extends LocksAndRelayContracts.WithProjections {
 *     @Override
 *     protected Supplier<EventStoreBackend> database(EventRegistry registry) { ... }
 * }
 * }</pre>
 */
public abstract class LocksAndRelayContracts {

    /**
     * A new database; each call of the supplier opens another application instance on it, as
     * {@link SharedDatabaseFixture#newDatabase} describes.
     */
    protected abstract Supplier<EventStoreBackend> database(EventRegistry registry);

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

    /** The same and an exclusive transactional projection: for backends whose checkpoints are transactional. */
    public abstract static class WithProjections extends LocksAndRelayContracts {

        @Nested
        class ExclusiveProjection extends ExclusiveProjectionContract {
            @Override
            protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
                return database(registry);
            }
        }
    }
}
