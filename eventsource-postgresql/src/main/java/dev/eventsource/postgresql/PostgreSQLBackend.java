package dev.eventsource.postgresql;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The PostgreSQL backend: a {@link PostgreSQLEventStore} and, in its schema under its table
 * prefix, its {@link PostgreSQLSnapshotStore}, {@link PostgreSQLCheckpointStore} (transactional)
 * and {@link PostgreSQLDeadLetterStore}. Each {@link #newAppendNotifier()} wakes subscriptions on
 * appends through this store in-process and, through a {@link PostgreSQLAppendNotifier}, on every
 * process's commits (it holds one pooled connection while its manager runs).
 */
public final class PostgreSQLBackend implements EventStoreBackend {

    private final PostgreSQLEventStore store;
    private final PostgreSQLSnapshotStore snapshots;
    private final PostgreSQLCheckpointStore checkpoints;
    private final PostgreSQLDeadLetterStore deadLetters;
    private final PostgreSQLExclusiveLocks locks;

    /** A backend owning {@code store}: closing the backend closes it (and the pool it owns). */
    public PostgreSQLBackend(PostgreSQLEventStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.snapshots = new PostgreSQLSnapshotStore(store);
        this.checkpoints = new PostgreSQLCheckpointStore(store);
        this.deadLetters = new PostgreSQLDeadLetterStore(store);
        this.locks = new PostgreSQLExclusiveLocks(store);
    }

    @Override
    public PostgreSQLEventStore store() {
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
    public PostgreSQLSnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public PostgreSQLCheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public Optional<TransactionalCheckpointStore> transactionalCheckpoints() {
        return Optional.of(checkpoints);
    }

    @Override
    public PostgreSQLDeadLetterStore deadLetters() {
        return deadLetters;
    }

    @Override
    public AppendNotifier newAppendNotifier() {
        return AppendNotifier.allOf(AppendNotifier.inProcess(store.appendSignal()), new PostgreSQLAppendNotifier(store));
    }

    /**
     * {@code tenant}'s view of this backend's store, for row-level-security mode: a
     * {@link TenantScopedEventStore} (the library's checks, refusals naming the owner) over the store
     * {@linkplain PostgreSQLEventStore#boundTo(TenantId) bound to the tenant} (PostgreSQL's own refusals
     * underneath, should a bug get past the view). Cheap: make one per request if convenient.
     *
     * @throws IllegalStateException unless the store was built with {@code rowLevelSecurity(true)}
     */
    public TenantScopedEventStore forTenant(TenantId tenant) {
        return TenantScopedEventStore.of(store.boundTo(tenant), tenant);
    }

    /** Session advisory locks on a dedicated pooled connection; see {@link PostgreSQLExclusiveLocks}. */
    @Override
    public PostgreSQLExclusiveLocks locks() {
        return locks;
    }

    /** None: PostgreSQL checks its own storage. */
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
        return "PostgreSQLBackend(" + store + ")";
    }
}
