package dev.eventsource.tck;

import dev.eventsource.snapshot.InMemorySnapshotStore;
import dev.eventsource.snapshot.SnapshotStore;

class InMemorySnapshotStoreContractTest extends SnapshotStoreContract {

    @Override
    protected SnapshotStore newSnapshotStore() {
        return new InMemorySnapshotStore();
    }
}
