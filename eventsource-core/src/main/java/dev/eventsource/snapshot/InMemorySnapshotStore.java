package dev.eventsource.snapshot;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link SnapshotStore} in memory, for tests and for the in-memory event store. */
public final class InMemorySnapshotStore implements SnapshotStore {

    private record Key(String aggregateType, UUID aggregateId) {
    }

    private final ConcurrentMap<Key, Snapshot> snapshots = new ConcurrentHashMap<>();

    @Override
    public void save(Snapshot snapshot) {
        snapshots.merge(new Key(snapshot.aggregateType(), snapshot.aggregateId()), snapshot,
                (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
    }

    @Override
    public Optional<Snapshot> find(UUID aggregateId, String aggregateType) {
        return Optional.ofNullable(snapshots.get(new Key(aggregateType, aggregateId)));
    }

    @Override
    public boolean delete(UUID aggregateId, String aggregateType) {
        return snapshots.remove(new Key(aggregateType, aggregateId)) != null;
    }

    @Override
    public int deleteAll(String aggregateType) {
        return removeIf(aggregateType, Integer.MAX_VALUE);
    }

    @Override
    public int deleteBelowSchemaVersion(String aggregateType, int schemaVersion) {
        return removeIf(aggregateType, schemaVersion);
    }

    private int removeIf(String aggregateType, int belowSchemaVersion) {
        int[] removed = {0};
        snapshots.entrySet().removeIf(e -> {
            boolean match = e.getKey().aggregateType().equals(aggregateType) && e.getValue().schemaVersion() < belowSchemaVersion;
            if (match) {
                removed[0]++;
            }
            return match;
        });
        return removed[0];
    }
}
