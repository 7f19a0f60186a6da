package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import org.junit.jupiter.api.Nested;

/**
 * Every contract suite at once: a backend extends this class, implements
 * {@link #newStore(EventRegistry)}, and JUnit runs each suite as a {@link Nested} group.
 *
 * <pre>{@code
 * class SQLiteEventStoreContractTest extends EventStoreContract {
 *     @TempDir Path dir;
 *     protected EventStore newStore(EventRegistry registry) {
 *         return new SQLiteEventStore(dir.resolve(UUID.randomUUID() + ".db").toString(), registry);
 *     }
 * }
 * }</pre>
 *
 * <p>{@code newStore} must return a new, empty, not yet initialized store using the given
 * registry on every call (see {@link EventStoreFixture}). Persistent backends extend
 * {@link PersistentEventStoreContract} instead, which adds the suites that need a second store over
 * the same data. A backend may also extend the suites one by one.
 */
public abstract class EventStoreContract {

    /** A new, empty store using {@code registry}; not yet initialized. */
    protected abstract EventStore newStore(EventRegistry registry);

    @Nested
    class Append extends AppendContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class StreamRead extends StreamReadContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class GlobalRead extends GlobalReadContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Tenancy extends TenancyContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Lookup extends LookupContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class StreamListing extends StreamListingContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class RecordedPages extends RecordedPageContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Serialization extends SerializationContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Validation extends ValidationContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Lifecycle extends LifecycleContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Aggregate extends AggregateContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }

    @Nested
    class Differential extends DifferentialContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return EventStoreContract.this.newStore(registry);
        }
    }
}
