package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.InMemorySnapshotStore;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryEventStore;

import java.time.Instant;
import java.util.UUID;

class InMemorySnapshotRepositoryContractTest extends SnapshotRepositoryContract {

    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();

    @Override
    protected EventStore newEventStore(EventRegistry registry) {
        return new InMemoryEventStore(registry);
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore store) {
        return snapshots;
    }

    @Override
    protected void corruptSnapshot(EventStore store, UUID aggregateId, String aggregateType) {
        Snapshot good = snapshots.find(aggregateId, aggregateType).orElseThrow();
        snapshots.save(new Snapshot(aggregateId, aggregateType, good.version(), good.schemaVersion(),
                "{\"balance\": \"lots\", ", Instant.now()));
    }
}
