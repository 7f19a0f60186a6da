package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.TransactionalCheckpointStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The SQLite backend: a {@link SQLiteEventStore} and, in the same database file on its
 * connections, its {@link SQLiteSnapshotStore}, {@link SQLiteCheckpointStore} (transactional) and
 * {@link SQLiteDeadLetterStore}. Appends through the store wake this process's subscriptions at
 * once; other processes' appends are seen on the subscriptions' poll.
 *
 * <pre>{@code
 * try (var backend = new SQLiteBackend(new SQLiteEventStore("./events.db"))) { ... }
 * }</pre>
 */
public final class SQLiteBackend implements EventStoreBackend {

    private final SQLiteEventStore store;
    private final SQLiteSnapshotStore snapshots;
    private final SQLiteCheckpointStore checkpoints;
    private final SQLiteDeadLetterStore deadLetters;
    private final SQLiteExclusiveLocks locks;

    /** A backend owning {@code store}: closing the backend closes it. */
    public SQLiteBackend(SQLiteEventStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.snapshots = new SQLiteSnapshotStore(store);
        this.checkpoints = new SQLiteCheckpointStore(store);
        this.deadLetters = new SQLiteDeadLetterStore(store);
        this.locks = new SQLiteExclusiveLocks(store);
    }

    @Override
    public SQLiteEventStore store() {
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
    public SQLiteSnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public SQLiteCheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public Optional<TransactionalCheckpointStore> transactionalCheckpoints() {
        return Optional.of(checkpoints);
    }

    @Override
    public SQLiteDeadLetterStore deadLetters() {
        return deadLetters;
    }

    @Override
    public AppendNotifier newAppendNotifier() {
        return AppendNotifier.inProcess(store.appendSignal());
    }

    /** OS record locks on {@code <database>.locks}, across the processes of this host; see {@link SQLiteExclusiveLocks}. */
    @Override
    public SQLiteExclusiveLocks locks() {
        return locks;
    }

    @Override
    public Optional<StorageCheck> storageCheck() {
        return Optional.of(store);
    }

    @Override
    public void close() {
        locks.close();
        store.close();
    }

    @Override
    public String toString() {
        return "SQLiteBackend(" + store.database() + ")";
    }
}
