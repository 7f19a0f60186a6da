package dev.eventsource.tck;

import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.InMemoryCheckpointStore;

class InMemoryCheckpointStoreContractTest extends CheckpointStoreContract {

    @Override
    protected CheckpointStore newCheckpointStore() {
        return new InMemoryCheckpointStore();
    }
}
