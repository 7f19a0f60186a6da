package dev.eventsource.backend;

import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.migration.MigrationProgress;
import dev.eventsource.migration.MigrationReport;
import dev.eventsource.migration.StoreMigration;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.TransactionalCheckpointStore;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One backend's parts, built together, sharing one database (or one memory) and one
 * {@link EventMapper}: the event store, its stored-row log, its importer, and the snapshot,
 * checkpoint and dead-letter stores and append notifier that live beside it. Consumers take the
 * part they need by type ({@link SubscriptionManager#builder(RecordedLog, AppendNotifier)},
 * {@link AggregateRepository#builder(dev.eventsource.store.EventAppender, dev.eventsource.store.StreamReader, EventMapper, Function, String)},
 * {@link StoreMigration#copy(RecordedLog, EventImporter, dev.eventsource.store.EventLookup, int, Consumer)}), so a
 * decorated {@link EventStore} loses no feature: wire the decorator where events are appended and
 * read, and the backend's parts everywhere else.
 *
 * <pre>{@code
 * try (EventStoreBackend backend = EventStoreBackends.open("sqlite:./events.db")) {
 *     var notes = backend.repository(NoteAggregate::new, "Note").build();
 *     try (var subscriptions = backend.subscriptions().build()) { ... }
 * }
 * }</pre>
 *
 * <p>The backend owns its parts: {@link #close()} closes the store and whatever else it opened;
 * the parts borrow the store's connections and must not be used after it. Built-in backends:
 * {@link InMemoryBackend}, {@code SQLiteBackend}, {@code PostgreSQLBackend}; open one from a URL with
 * {@link EventStoreBackends#open(String)}. Thread-safe.
 */
public interface EventStoreBackend extends AutoCloseable {

    /** The event store: appends, stream and global reads, lookups. */
    EventStore store();

    /** The store's stored rows, point queries, mapper and in-process append signal. */
    RecordedLog log();

    /** Writes rows stored elsewhere (migrations, imports); see {@link EventImporter}. */
    EventImporter importer();

    /** The mapper every part serializes with (the store's registry included). */
    default EventMapper mapper() {
        return log().mapper();
    }

    /** Snapshots, in the store's database. */
    SnapshotStore snapshots();

    /** Subscription checkpoints, in the store's database. */
    CheckpointStore checkpoints();

    /**
     * The checkpoint store as a {@link TransactionalCheckpointStore}, when the backend can write a
     * checkpoint in one transaction with a read model (the SQL backends); empty otherwise.
     */
    Optional<TransactionalCheckpointStore> transactionalCheckpoints();

    /** Dead letters of subscriptions, in the store's database. */
    DeadLetterStore deadLetters();

    /**
     * A new notifier of appends for one {@link SubscriptionManager}, which starts and closes it:
     * in-process appends through {@link #store()}, and for PostgreSQL also {@code LISTEN/NOTIFY}
     * for appends by other processes.
     */
    AppendNotifier newAppendNotifier();

    /**
     * Named locks that one holder at a time has across the application instances on this
     * backend's database: what keeps one relay active per name. The in-memory backend's are
     * process-local, SQLite's hold across the processes of one host (an OS lock on a file beside
     * the database), PostgreSQL's across the database's clients (session advisory locks). Locks
     * still held are released when the backend is closed.
     */
    ExclusiveLocks locks();

    /** The backend's own storage check (SQLite's integrity check), when it has one. */
    Optional<StorageCheck> storageCheck();

    /**
     * A subscription manager builder wired to this backend: its log, a new append notifier, its
     * dead letters, and its checkpoints (transactional when they can be).
     */
    default SubscriptionManager.Builder subscriptions() {
        SubscriptionManager.Builder builder = SubscriptionManager.builder(log(), newAppendNotifier()).deadLetters(deadLetters());
        transactionalCheckpoints().ifPresentOrElse(builder::checkpoints, () -> builder.checkpoints(checkpoints()));
        return builder;
    }

    /**
     * A repository builder wired to this backend's store and mapper; call
     * {@code .snapshots(backend.snapshots())} on it to keep snapshots.
     */
    default <A extends AggregateRoot<?>> AggregateRepository.Builder<A> repository(Function<UUID, A> factory,
                                                                                  String aggregateType) {
        return AggregateRepository.builder(store(), factory, aggregateType);
    }

    /**
     * {@link #repository(Function, String)} for an aggregate class that declares its type with
     * {@link dev.eventsource.aggregate.AggregateType}.
     *
     * @throws IllegalArgumentException as {@link AggregateRepository#aggregateTypeOf(Class)} does
     */
    default <A extends AggregateRoot<?>> AggregateRepository.Builder<A> repository(Class<A> aggregateClass,
                                                                                  Function<UUID, A> factory) {
        return AggregateRepository.builder(store(), aggregateClass, factory);
    }

    /**
     * Copies every event of {@code source} into {@code target} and verifies the copy; see
     * {@link StoreMigration}.
     */
    static MigrationReport copy(EventStoreBackend source, EventStoreBackend target, int batchSize,
                                Consumer<MigrationProgress> progress) {
        return StoreMigration.copy(source.log(), target.importer(), target.log(), batchSize, progress);
    }

    /** Closes the store and every part the backend opened; idempotent. */
    @Override
    void close();
}
