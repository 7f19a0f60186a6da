package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.InMemoryCheckpointStore;
import dev.eventsource.subscription.InMemoryDeadLetterStore;

/** Subscriptions over the in-memory store, with in-memory checkpoints and dead letters. */
class InMemorySubscriptionContractTest extends SubscriptionContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return new InMemoryEventStore(registry);
    }

    @Override
    protected CheckpointStore newCheckpointStore(EventStore store) {
        return new InMemoryCheckpointStore();
    }

    @Override
    protected DeadLetterStore newDeadLetterStore(EventStore store) {
        return new InMemoryDeadLetterStore();
    }
}
