package dev.eventsource.aggregate;

import dev.eventsource.bus.EventPublisher;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.store.TracingObserver;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.snapshot.SnapshotStats;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventAppender;
import dev.eventsource.store.EventIds;
import dev.eventsource.store.EventLimits;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.StreamReader;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.store.spi.RecordedLog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Loads aggregates by replaying their stream and saves their new events with an optimistic
 * concurrency check; optionally keeps snapshots so long streams load fast.
 *
 * <p>{@link #save} appends the uncommitted events expecting the version the aggregate was loaded
 * at; if another writer got there first it throws
 * {@link dev.eventsource.store.OptimisticLockException}, writes nothing and leaves the aggregate's
 * uncommitted events in place.
 *
 * <p>Snapshots (see {@link #builder}) are a cache and never cost correctness: {@link #load}
 * restores the snapshot and replays only later events; a snapshot of another
 * {@code snapshotSchemaVersion}, one whose state is not exactly what the mapper writes for the
 * state type (not JSON, JSON {@code null}, a missing or unknown property, {@code null} for a
 * primitive: see {@link EventMapper#readJson}), or a snapshot store that fails, is ignored (logged
 * once, counted in {@link #snapshotStats()}) and the aggregate is rebuilt by a full replay. A
 * snapshot that cannot be written never fails a save.
 *
 * <p>It needs two roles of a store, an {@link EventAppender} and a {@link StreamReader}, and the
 * store's {@link EventMapper} for snapshot JSON: {@link #builder(EventAppender, StreamReader, EventMapper, Function, String)}
 * takes them one by one (e.g. a decorating appender); the constructor and
 * {@link #builder(EventStore, Function, String)} take them from one store.
 *
 * <p>Thread-safe; aggregates themselves are not.
 *
 * @param <A> the aggregate type
 */
public final class AggregateRepository<A extends AggregateRoot<?>> {

    private static final System.Logger LOG = System.getLogger(AggregateRepository.class.getName());

    /** The store the repository was built from; null when built from roles. */
    private final EventStore store;
    private final EventAppender appender;
    private final StreamReader reader;
    private final Function<UUID, A> factory;
    private final String aggregateType;
    private final SnapshotStore snapshots;
    private final SnapshotPolicy policy;
    private final Executor snapshotExecutor;
    private final EventMapper json;
    private final EventPublisher publisher;
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong loadedFromSnapshot = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final RepositoryTelemetry telemetry;

    /**
     * A repository without snapshots.
     *
     * @param store         where the events live
     * @param factory       creates an empty aggregate for an id, e.g. {@code NoteAggregate::new}
     * @param aggregateType the stream type, e.g. {@code "Note"}
     */
    public AggregateRepository(EventStore store, Function<UUID, A> factory, String aggregateType) {
        this(builder(store, factory, aggregateType));
    }

    /**
     * A repository without snapshots, for an aggregate class that declares its type with
     * {@link AggregateType}.
     *
     * @param store          where the events live
     * @param aggregateClass the aggregate class, annotated {@code @AggregateType("...")}
     * @param factory        creates an empty aggregate for an id, e.g. {@code NoteAggregate::new}
     * @throws IllegalArgumentException as {@link #aggregateTypeOf(Class)} does
     */
    public AggregateRepository(EventStore store, Class<A> aggregateClass, Function<UUID, A> factory) {
        this(builder(store, factory, aggregateTypeOf(aggregateClass)));
    }

    private AggregateRepository(Builder<A> b) {
        this.store = b.store;
        this.appender = b.appender;
        this.reader = b.reader;
        this.factory = b.factory;
        this.aggregateType = b.aggregateType;
        this.snapshots = b.snapshots;
        this.policy = b.policy;
        this.snapshotExecutor = b.executor;
        this.json = b.mapper;
        this.publisher = b.publisher;
        this.telemetry = new RepositoryTelemetry(b.openTelemetry != null ? b.openTelemetry : GlobalOpenTelemetry.get(),
                aggregateType);
    }

    /**
     * A builder, for repositories with snapshots, on one store. Snapshot JSON is written with the
     * store's mapper when it offers its {@link EventStore#recordedLog()} (every built-in store
     * does), else with a mapper of an empty registry (state JSON needs no event classes).
     */
    public static <A extends AggregateRoot<?>> Builder<A> builder(EventStore store, Function<UUID, A> factory,
                                                                  String aggregateType) {
        Objects.requireNonNull(store, "store");
        EventMapper mapper = store.recordedLog().map(RecordedLog::mapper).orElseGet(() -> new EventMapper(new EventRegistry()));
        return new Builder<>(store, store, store, mapper, factory, aggregateType);
    }

    /**
     * {@link #builder(EventStore, Function, String)} for an aggregate class that declares its type
     * with {@link AggregateType}.
     *
     * @throws IllegalArgumentException as {@link #aggregateTypeOf(Class)} does
     */
    public static <A extends AggregateRoot<?>> Builder<A> builder(EventStore store, Class<A> aggregateClass,
                                                                  Function<UUID, A> factory) {
        return builder(store, factory, aggregateTypeOf(aggregateClass));
    }

    /**
     * {@link #builder(EventAppender, StreamReader, EventMapper, Function, String)} for an aggregate
     * class that declares its type with {@link AggregateType}.
     *
     * @throws IllegalArgumentException as {@link #aggregateTypeOf(Class)} does
     */
    public static <A extends AggregateRoot<?>> Builder<A> builder(EventAppender appender, StreamReader reader,
                                                                  EventMapper mapper, Class<A> aggregateClass,
                                                                  Function<UUID, A> factory) {
        return builder(appender, reader, mapper, factory, aggregateTypeOf(aggregateClass));
    }

    /**
     * The aggregate type an aggregate class declares with {@link AggregateType} (on the class
     * itself; the annotation is not inherited).
     *
     * @throws IllegalArgumentException if the class is null, not annotated {@code @AggregateType},
     *                                  or its value is blank or holds a NUL or an unpaired surrogate
     */
    public static String aggregateTypeOf(Class<?> aggregateClass) {
        if (aggregateClass == null) {
            throw new IllegalArgumentException("aggregateClass must not be null; pass the aggregate's class, e.g. NoteAggregate.class");
        }
        AggregateType declared = aggregateClass.getAnnotation(AggregateType.class);
        if (declared == null) {
            throw new IllegalArgumentException(aggregateClass.getName() + " declares no aggregate type: annotate it"
                    + " @AggregateType(\"" + aggregateClass.getSimpleName() + "\") (dev.eventsource.aggregate.AggregateType),"
                    + " or pass the type to the repository as a string");
        }
        String type = declared.value();
        if (type.isBlank()) {
            throw new IllegalArgumentException("@AggregateType on " + aggregateClass.getName() + " must be non-blank, e.g."
                    + " @AggregateType(\"" + aggregateClass.getSimpleName() + "\")");
        }
        return EventLimits.requireWellFormed("@AggregateType on " + aggregateClass.getName(), type);
    }

    /**
     * A builder from the roles a repository uses: it appends through {@code appender}, loads
     * through {@code reader}, and writes and reads snapshot JSON with {@code mapper} (a backend's
     * {@code mapper()}). {@link #store()} is not available on such a repository.
     */
    public static <A extends AggregateRoot<?>> Builder<A> builder(EventAppender appender, StreamReader reader,
                                                                  EventMapper mapper, Function<UUID, A> factory,
                                                                  String aggregateType) {
        return new Builder<>(null, Objects.requireNonNull(appender, "appender"), Objects.requireNonNull(reader, "reader"),
                Objects.requireNonNull(mapper, "mapper"), factory, aggregateType);
    }

    /** The aggregate type of the streams this repository reads and writes, e.g. {@code "Note"}. */
    public String aggregateType() {
        return aggregateType;
    }

    /**
     * The stream of the aggregate with this id.
     *
     * @throws IllegalArgumentException if the id is null, or this repository's type cannot name a
     *                                  stream (see {@link StreamId})
     */
    public StreamId streamId(UUID aggregateId) {
        return StreamId.of(aggregateType, aggregateId);
    }

    /**
     * The store this repository was built on.
     *
     * @throws IllegalStateException for a repository built from roles, which has no one store
     */
    public EventStore store() {
        if (store == null) {
            throw new IllegalStateException("this repository was built from an appender and a reader, not from one"
                    + " EventStore; keep a reference to the store you built it from");
        }
        return store;
    }

    /** A new, empty aggregate; nothing is stored until {@link #save}. */
    public A createNew(UUID aggregateId) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        A aggregate = factory.apply(aggregateId);
        if (aggregate == null || !aggregate.aggregateId().equals(aggregateId)) {
            throw new IllegalStateException("the aggregate factory must return an aggregate with id " + aggregateId);
        }
        return aggregate;
    }

    /**
     * The aggregate rebuilt from its events (from its snapshot and later events, when there is one).
     *
     * @throws AggregateNotFoundException if its stream is empty
     */
    public A load(UUID aggregateId) {
        return find(aggregateId).orElseThrow(() -> new AggregateNotFoundException(aggregateId, aggregateType));
    }

    /** The aggregate rebuilt from its events, or empty if it has none. */
    public Optional<A> find(UUID aggregateId) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        RepositoryTelemetry.Operation load = telemetry.start("load", aggregateId);
        Optional<A> found;
        try {
            found = find(aggregateId, load);
        } catch (RuntimeException | Error e) {
            load.failed(e);
            throw e;
        }
        found.ifPresent(a -> load.span.setAttribute(RepositoryTelemetry.VERSION, a.version()));
        load.succeeded();
        return found;
    }

    private Optional<A> find(UUID aggregateId, RepositoryTelemetry.Operation load) {
        A aggregate = fromSnapshot(aggregateId, load);
        long after = aggregate == null ? 0 : aggregate.version();
        EventStream stream = reader.getEvents(aggregateId, aggregateType, after);
        if (aggregate != null && stream.version() < after) {
            ignore(load, aggregateId, "ahead_of_stream",
                    "is ahead of its stream (snapshot v" + after + ", stream v" + stream.version() + ")", null);
            aggregate = null;
            stream = reader.getEvents(aggregateId, aggregateType);
        }
        if (aggregate == null) {
            if (stream.isEmpty()) {
                return Optional.empty();
            }
            aggregate = createNew(aggregateId);
        } else {
            loadedFromSnapshot.incrementAndGet();
            telemetry.snapshotHit(load);
        }
        for (StoredEvent e : stream.events()) {
            aggregate.replay(e.event(), e.version());
        }
        return Optional.of(aggregate);
    }

    /** The stored aggregate, or a new empty one. */
    public A loadOrCreate(UUID aggregateId) {
        return find(aggregateId).orElseGet(() -> createNew(aggregateId));
    }

    /** True when the aggregate has at least one event. */
    public boolean exists(UUID aggregateId) {
        return reader.getStreamVersion(aggregateId, aggregateType) > 0;
    }

    /** Saves the uncommitted events without metadata; a no-op when there are none. */
    public Optional<AppendResult> save(A aggregate) {
        return save(aggregate, EventMetadata.EMPTY);
    }

    /**
     * Saves the uncommitted events, each carrying {@code metadata}; a no-op (empty result) when
     * there are none. Takes a snapshot when the policy says so; a snapshot failure is logged and
     * counted, never thrown.
     *
     * @throws dev.eventsource.store.OptimisticLockException if the stream moved since the load
     */
    public Optional<AppendResult> save(A aggregate, EventMetadata metadata) {
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(metadata, "metadata");
        if (!aggregate.hasUncommittedEvents()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        List<NewEvent> events = new ArrayList<>();
        for (DomainEvent e : aggregate.uncommittedEvents()) {
            events.add(new NewEvent(e, EventIds.next(), now, metadata));
        }
        long before = aggregate.committedVersion();
        RepositoryTelemetry.Operation save = telemetry.start("save", aggregate.aggregateId());
        save.span.setAttribute(TracingObserver.EVENT_COUNT, (long) events.size());
        AppendResult result;
        try {
            result = appender.append(aggregate.aggregateId(), aggregateType, events, ExpectedVersion.exactly(before));
            aggregate.markCommitted();
            save.span.setAttribute(RepositoryTelemetry.VERSION, result.newVersion());
            if (snapshots != null && policy.shouldSnapshot(before, aggregate.version())) {
                snapshot(aggregate);
            }
            if (publisher != null) {
                publish(aggregate.aggregateId(), before, events, result);
            }
        } catch (RuntimeException | Error e) {
            save.failed(e);
            throw e;
        }
        save.succeeded();
        return Optional.of(result);
    }

    /**
     * Publishes what this save stored, as the store recorded it (ids, versions, positions, times):
     * the stream read back after {@code before}, keeping only this save's events that the append
     * did not skip as already stored. The save is committed, so a failure here is logged, never thrown.
     */
    private void publish(UUID aggregateId, long before, List<NewEvent> saved, AppendResult result) {
        Set<UUID> written = new HashSet<>();
        for (NewEvent e : saved) {
            written.add(e.eventId());
        }
        result.skippedEventIds().forEach(written::remove);
        if (written.isEmpty()) {
            return;
        }
        try {
            List<StoredEvent> stored = reader.getEvents(aggregateId, aggregateType, before).events().stream()
                    .filter(e -> e.version() <= result.newVersion() && written.contains(e.eventId()))
                    .toList();
            publisher.publish(stored);
        } catch (RuntimeException e) {
            warnOnce("publish", "Could not publish the events saved to " + aggregateType + " " + aggregateId + " up to v"
                    + result.newVersion() + "; they are stored, and a relay tailing the log would still deliver them", e);
        }
    }

    /**
     * Takes a snapshot of a saved aggregate now (on the snapshot executor), whatever the policy.
     *
     * @throws IllegalStateException if the repository has no snapshot store, or the aggregate has
     *                               unsaved events or none at all
     */
    public void createSnapshot(A aggregate) {
        if (snapshots == null) {
            throw new IllegalStateException("this repository has no snapshot store; build it with"
                    + " AggregateRepository.builder(...).snapshots(store)");
        }
        if (aggregate.hasUncommittedEvents() || aggregate.version() == 0) {
            throw new IllegalStateException("only a saved aggregate with at least one event can be snapshotted; save it first");
        }
        snapshot(aggregate);
    }

    /**
     * Waits for background snapshots started so far.
     *
     * @return true if all finished within the timeout
     */
    public boolean awaitSnapshots(Duration timeout) {
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
        try {
            all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true; // failures are counted and logged by the task itself
        }
    }

    /** Counters of snapshots taken, failed, loaded and ignored. */
    public SnapshotStats snapshotStats() {
        return new SnapshotStats(taken.get(), failed.get(), loadedFromSnapshot.get(), ignored.get());
    }

    private void snapshot(A aggregate) {
        // The state is an immutable value, so it can be serialized later on another thread.
        Object state = aggregate.state();
        long version = aggregate.version();
        int schema = aggregate.snapshotSchemaVersion();
        UUID id = aggregate.aggregateId();
        Instant at = Instant.now();
        // Wrapped in the current context, so that a background write is still a child of its save.
        Runnable task = Context.current().wrap(() -> {
            RepositoryTelemetry.Operation write = telemetry.start("write_snapshot", id);
            try {
                snapshots.save(new Snapshot(id, aggregateType, version, schema, json.writeJson(state), at));
                taken.incrementAndGet();
                telemetry.snapshotWritten(true);
                write.succeeded();
            } catch (RuntimeException e) {
                write.failed(e);
                failed.incrementAndGet();
                telemetry.snapshotWritten(false);
                warnOnce("snapshot-write", "Could not write a snapshot of " + aggregateType + " " + id + " v" + version
                        + "; loads replay more events until the next one succeeds", e);
            }
        });
        CompletableFuture<Void> future = CompletableFuture.runAsync(task, snapshotExecutor);
        pending.add(future);
        future.whenComplete((ok, error) -> pending.remove(future));
    }

    private A fromSnapshot(UUID aggregateId, RepositoryTelemetry.Operation load) {
        if (snapshots == null) {
            load.span.setAttribute(RepositoryTelemetry.SNAPSHOT, "none");
            return null;
        }
        Snapshot snapshot;
        RepositoryTelemetry.Operation read = telemetry.start("read_snapshot", aggregateId);
        try {
            snapshot = snapshots.find(aggregateId, aggregateType).orElse(null);
            read.succeeded();
        } catch (RuntimeException e) {
            read.failed(e);
            ignore(load, aggregateId, "store_failure", "could not be read from the snapshot store", e);
            return null;
        }
        if (snapshot == null) {
            telemetry.snapshotMiss(load);
            return null;
        }
        A aggregate = createNew(aggregateId);
        if (snapshot.schemaVersion() != aggregate.snapshotSchemaVersion()) {
            ignore(load, aggregateId, "schema_version", "has schema version " + snapshot.schemaVersion()
                    + " but the aggregate declares " + aggregate.snapshotSchemaVersion(), null);
            return null;
        }
        try {
            restore(aggregate, json.readJson(snapshot.stateJson(), aggregate.stateType()), snapshot.version());
            return aggregate;
        } catch (RuntimeException e) {
            ignore(load, aggregateId, "unreadable_state", "could not be deserialized", e);
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void restore(AggregateRoot aggregate, Object state, long version) {
        aggregate.restore(state, version);
    }

    private void ignore(RepositoryTelemetry.Operation load, UUID aggregateId, String reason, String why, Throwable cause) {
        ignored.incrementAndGet();
        telemetry.snapshotIgnored(load, reason);
        warnOnce("ignored:" + why.replaceAll("[0-9]", ""), "Ignoring the snapshot of " + aggregateType + " " + aggregateId
                + ": it " + why + "; rebuilding by full replay", cause);
    }

    private void warnOnce(String key, String message, Throwable cause) {
        if (warned.add(key)) {
            LOG.log(System.Logger.Level.WARNING, message + " (further occurrences are only counted)", cause);
        }
    }

    /** Builds an {@link AggregateRepository}. */
    public static final class Builder<A extends AggregateRoot<?>> {
        private final EventStore store;
        private final EventAppender appender;
        private final StreamReader reader;
        private final EventMapper mapper;
        private final Function<UUID, A> factory;
        private final String aggregateType;
        private SnapshotStore snapshots;
        private SnapshotPolicy policy = SnapshotPolicy.never();
        private OpenTelemetry openTelemetry;
        private boolean policySet;
        private Executor executor = Runnable::run;
        private EventPublisher publisher;

        private Builder(EventStore store, EventAppender appender, StreamReader reader, EventMapper mapper,
                        Function<UUID, A> factory, String aggregateType) {
            this.store = store;
            this.appender = appender;
            this.reader = reader;
            this.mapper = mapper;
            this.factory = Objects.requireNonNull(factory, "factory");
            if (aggregateType == null || aggregateType.isBlank()) {
                throw new IllegalArgumentException("aggregateType must be non-blank, e.g. \"Note\"");
            }
            this.aggregateType = aggregateType;
        }

        /**
         * Where the repository's spans ({@code load}, {@code save}, {@code read_snapshot},
         * {@code write_snapshot}) and snapshot metrics go; {@link GlobalOpenTelemetry} unless set
         * (a no-op without an SDK). See {@code docs/operations.md}.
         */
        public Builder<A> openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** Loads from, and (per the policy) writes to, this snapshot store. */
        public Builder<A> snapshots(SnapshotStore snapshots) {
            this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
            return this;
        }

        /**
         * When saves take snapshots; default {@link SnapshotPolicy#never()}. A repository built with a
         * snapshot store and no policy set logs a warning, since it would load snapshots but never
         * take one; setting {@code never()} explicitly says that is meant.
         */
        public Builder<A> snapshotPolicy(SnapshotPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            this.policySet = true;
            return this;
        }

        /** Where snapshots are written; default: synchronously, in the saving thread. */
        public Builder<A> snapshotExecutor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Publishes the events each save stored, as stored envelopes (ids, versions, positions,
         * times), after the append committed: handlers of a synchronous bus have run when
         * {@code save} returns. At most once: a process that stops between the commit and the
         * publish, or a publish the bus refuses (logged, never thrown: the save is committed), loses
         * that publication, and two threads saving one aggregate may publish out of version order. A
         * save that wrote nothing (nothing new, or an idempotent retry) publishes nothing. For
         * at-least-once delivery in order, relay the store's log instead.
         */
        public Builder<A> publishTo(EventPublisher publisher) {
            this.publisher = Objects.requireNonNull(publisher, "publisher");
            return this;
        }

        /**
         * @throws IllegalStateException if a snapshot policy is set without a snapshot store
         */
        public AggregateRepository<A> build() {
            if (snapshots == null && policy != SnapshotPolicy.never()) {
                throw new IllegalStateException("a snapshot policy (" + policy + ") needs a snapshot store: call snapshots(...)");
            }
            if (snapshots != null && !policySet) {
                LOG.log(System.Logger.Level.WARNING, "The " + aggregateType + " repository has a snapshot store but no"
                        + " snapshot policy: it loads snapshots but takes none on save. Set snapshotPolicy(SnapshotPolicy"
                        + ".everyEvents(n)), or snapshotPolicy(SnapshotPolicy.never()) if that is what you want.");
            }
            return new AggregateRepository<>(this);
        }
    }
}
