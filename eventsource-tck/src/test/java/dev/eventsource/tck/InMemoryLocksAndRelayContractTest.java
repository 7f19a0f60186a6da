package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.backend.InMemoryBackend;
import dev.eventsource.lock.InMemoryExclusiveLocks;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.TransactionalCheckpointStore;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The in-memory backend's locks and a relay on it. Application instances on "one database" are
 * views of one {@link InMemoryBackend}: its store, checkpoints and notifier, each with a
 * {@link InMemoryExclusiveLocks#peer() peer} of one lock table; closing an instance releases its
 * locks, as a process that ends does, and leaves the shared store open.
 */
class InMemoryLocksAndRelayContractTest extends LocksAndRelayContracts {

    @Override
    protected Supplier<EventStoreBackend> database(EventRegistry registry) {
        InMemoryBackend shared = new InMemoryBackend(new InMemoryEventStore(registry));
        return () -> new Instance(shared, shared.locks().peer());
    }

    /** One instance: the shared backend's parts and locks of its own on the shared table. */
    static final class Instance implements EventStoreBackend {
        private final InMemoryBackend shared;
        private final ExclusiveLocks locks;
        private final Runnable onClose;

        Instance(InMemoryBackend shared, InMemoryExclusiveLocks locks) {
            this(shared, locks, locks::close);
        }

        Instance(InMemoryBackend shared, ExclusiveLocks locks, Runnable onClose) {
            this.onClose = onClose;
            this.shared = shared;
            this.locks = locks;
        }

        @Override public EventStore store() { return shared.store(); }
        @Override public RecordedLog log() { return shared.log(); }
        @Override public EventImporter importer() { return shared.importer(); }
        @Override public SnapshotStore snapshots() { return shared.snapshots(); }
        @Override public CheckpointStore checkpoints() { return shared.checkpoints(); }
        @Override public Optional<TransactionalCheckpointStore> transactionalCheckpoints() { return Optional.empty(); }
        @Override public DeadLetterStore deadLetters() { return shared.deadLetters(); }
        @Override public AppendNotifier newAppendNotifier() { return shared.newAppendNotifier(); }
        @Override public Optional<StorageCheck> storageCheck() { return Optional.empty(); }
        @Override public ExclusiveLocks locks() { return locks; }
        @Override public void close() { onClose.run(); }
    }
}
