package dev.eventsource.backend;

import dev.eventsource.lock.InMemoryExclusiveLocks;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.InMemorySnapshotStore;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.InMemoryCheckpointStore;
import dev.eventsource.subscription.InMemoryDeadLetterStore;
import dev.eventsource.subscription.TransactionalCheckpointStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The in-memory backend, for tests and prototypes: an {@link InMemoryEventStore} with in-memory
 * snapshots, checkpoints and dead letters, and in-process append notification. Checkpoints are
 * not transactional. Everything is gone when it is closed.
 */
public final class InMemoryBackend implements EventStoreBackend {

    private final InMemoryEventStore store;
    private final SnapshotStore snapshots = new InMemorySnapshotStore();
    private final CheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final DeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final InMemoryExclusiveLocks locks;

    /** A backend owning {@code store}: closing the backend closes it. */
    public InMemoryBackend(InMemoryEventStore store) {
        this(store, new InMemoryExclusiveLocks());
    }

    /**
     * A backend owning {@code store} whose {@link #locks()} are {@code locks}: give two backends
     * {@link InMemoryExclusiveLocks#peer() peers} of one table to have them exclude each other, as
     * two application instances on one database do. Closing the backend closes both.
     */
    public InMemoryBackend(InMemoryEventStore store, InMemoryExclusiveLocks locks) {
        this.store = Objects.requireNonNull(store, "store");
        this.locks = Objects.requireNonNull(locks, "locks");
    }

    /** A backend on a new store that looks events up in {@code registry}. */
    public InMemoryBackend(EventRegistry registry) {
        this(new InMemoryEventStore(registry));
    }

    @Override
    public InMemoryEventStore store() {
        return store;
    }

    @Override
    public RecordedLog log() {
        return store;
    }

    @Override
    public EventImporter importer() {
        return store;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public Optional<TransactionalCheckpointStore> transactionalCheckpoints() {
        return Optional.empty();
    }

    @Override
    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    @Override
    public AppendNotifier newAppendNotifier() {
        return AppendNotifier.inProcess(store.appendSignal());
    }

    /** Process-local locks; see {@link InMemoryExclusiveLocks}. */
    @Override
    public InMemoryExclusiveLocks locks() {
        return locks;
    }

    @Override
    public Optional<StorageCheck> storageCheck() {
        return Optional.empty();
    }

    @Override
    public void close() {
        locks.close();
        store.close();
    }

    @Override
    public String toString() {
        return "InMemoryBackend(" + store + ")";
    }
}
