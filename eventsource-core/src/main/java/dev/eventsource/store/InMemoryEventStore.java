package dev.eventsource.store;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.store.spi.AppendRules;
import dev.eventsource.store.spi.ExistingEvent;
import dev.eventsource.store.spi.ImportRules;
import dev.eventsource.store.spi.OwnerCheck;
import dev.eventsource.store.spi.SerializedEvent;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An event store held in memory: for unit tests and prototypes.
 *
 * <p>It stores the same serialized form as the persistent stores (events go through the same
 * mapper), so an event that could not be stored in SQLite or PostgreSQL cannot be stored here
 * either. Thread-safe: appends are serialized by a write lock, reads share a read lock. Its data
 * is gone when it is closed or garbage collected; two instances never share data.
 */
public final class InMemoryEventStore extends AbstractEventStore implements EventImporter {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<RecordedEvent> log = new ArrayList<>();
    private final Map<StreamId, List<RecordedEvent>> streams = new HashMap<>();
    private final Map<UUID, RecordedEvent> byId = new HashMap<>();

    /** A store using {@link EventRegistry#defaultRegistry()}. */
    public InMemoryEventStore() {
        this(EventRegistry.defaultRegistry());
    }

    /** A store that looks events up in {@code registry}, traced through {@link GlobalOpenTelemetry}. */
    public InMemoryEventStore(EventRegistry registry) {
        this(builder().eventRegistry(registry));
    }

    private InMemoryEventStore(Builder b) {
        super("InMemoryEventStore", TracingObserver.IN_MEMORY, null, "events", b.registry, b.tracing, b.openTelemetry, b.observer);
    }

    /** A builder, for a store with its own {@link OpenTelemetry} or a {@link StoreObserver}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void doInitialize() {
        // Nothing to create.
    }

    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected) {
        return doAppend(stream, events, expected, OwnerCheck.NONE);
    }

    /** Checks the stream's owner under the write lock, where the append decides. */
    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected, OwnerCheck owner) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            List<RecordedEvent> rows = streams.get(stream);
            long current = rows == null ? 0 : rows.size();
            if (!owner.isNone() && current > 0) {
                owner.require(new StreamHead(current, rows.get(rows.size() - 1).tenantId()));
            }
            Map<UUID, ExistingEvent> existing = new HashMap<>();
            for (SerializedEvent e : events) {
                RecordedEvent found = byId.get(e.eventId());
                if (found != null) {
                    existing.put(found.eventId(), new ExistingEvent(found.eventId(), found.stream(), found.version(),
                            found.globalPosition()));
                }
            }
            AppendRules.Decision decision = AppendRules.decide(stream, expected, current, events, existing);
            if (decision instanceof AppendRules.Retry retry) {
                return retry.result();
            }
            AppendRules.Write write = (AppendRules.Write) decision;
            if (write.events().isEmpty()) {
                return write.result(0);
            }
            List<RecordedEvent> target = streams.computeIfAbsent(stream, k -> new ArrayList<>());
            var recordedAt = now();
            long version = write.firstVersion();
            long position = log.size();
            for (SerializedEvent e : write.events()) {
                RecordedEvent row = e.recorded(stream, version++, ++position, recordedAt);
                log.add(row);
                target.add(row);
                byId.put(row.eventId(), row);
            }
            return write.result(position);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The stored rows among {@code eventIds}; see {@link EventImporter#storedEvents}. */
    @Override
    public Map<UUID, RecordedEvent> storedEvents(java.util.Collection<UUID> eventIds) {
        EventImporter.requireLookup(eventIds);
        ensureOpen();
        lock.readLock().lock();
        try {
            Map<UUID, RecordedEvent> found = new HashMap<>();
            for (UUID id : eventIds) {
                RecordedEvent row = byId.get(id);
                if (row != null) {
                    found.put(id, row);
                }
            }
            return found;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public ImportResult importRecorded(List<RecordedEvent> batch) {
        batch = ImportRules.requireValid(batch);
        ensureOpen();
        lock.writeLock().lock();
        try {
            ensureOpen();
            Map<UUID, RecordedEvent> stored = new HashMap<>();
            Map<StreamId, Long> versions = new HashMap<>();
            for (RecordedEvent row : batch) {
                RecordedEvent found = byId.get(row.eventId());
                if (found != null) {
                    stored.put(found.eventId(), found);
                }
                versions.computeIfAbsent(row.stream(), k -> (long) streams.getOrDefault(k, List.of()).size());
            }
            List<RecordedEvent> toWrite = ImportRules.decide(batch, stored, versions);
            for (RecordedEvent row : toWrite) {
                RecordedEvent copy = new RecordedEvent(row.eventId(), row.eventType(), row.schemaVersion(), row.aggregateId(),
                        row.aggregateType(), row.version(), log.size() + 1L, row.occurredAt(), row.recordedAt(), row.tenantId(),
                        row.metadataJson(), row.payloadJson());
                log.add(copy);
                streams.computeIfAbsent(copy.stream(), k -> new ArrayList<>()).add(copy);
                byId.put(copy.eventId(), copy);
            }
            return new ImportResult(toWrite.size(), batch.size() - toWrite.size());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    protected RecordedStream doReadStream(StreamId stream, long afterVersion) {
        lock.readLock().lock();
        try {
            List<RecordedEvent> rows = streams.getOrDefault(stream, List.of());
            int from = (int) Math.min(afterVersion, rows.size());
            return new RecordedStream(List.copyOf(rows.subList(from, rows.size())), rows.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected RecordedPage doReadPage(ReadOptions options, long cursor, int max) {
        lock.readLock().lock();
        try {
            List<RecordedEvent> page = new ArrayList<>(Math.min(max, 1024));
            // Position p sits at index p - 1.
            if (options.direction() == ReadDirection.FORWARD) {
                long head = log.size();
                long bound = scanBound(options, cursor, head);
                for (long i = cursor; i < bound && page.size() < max; i++) {
                    RecordedEvent row = log.get((int) i);
                    if (matches(options, row)) {
                        page.add(row);
                    }
                }
                return forwardPage(page, max, cursor, bound, head);
            }
            for (long i = Math.min(cursor - 1, log.size()) - 1; i >= 0 && page.size() < max; i--) {
                RecordedEvent row = log.get((int) i);
                if (matches(options, row)) {
                    page.add(row);
                }
            }
            return backwardPage(page, max, cursor);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static boolean matches(ReadOptions o, RecordedEvent row) {
        return o.selectsEventType(row.eventType())
                && (o.aggregateTypes().isEmpty() || o.aggregateTypes().contains(row.aggregateType()))
                && (o.tenantId() == null || o.tenantId().equals(row.tenantId()))
                && (o.fromTimestamp() == null || !row.occurredAt().isBefore(o.fromTimestamp()))
                && (o.toTimestamp() == null || !row.occurredAt().isAfter(o.toTimestamp()));
    }

    @Override
    protected long doStreamVersion(StreamId stream) {
        lock.readLock().lock();
        try {
            List<RecordedEvent> rows = streams.get(stream);
            return rows == null ? 0 : rows.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected StreamHead doStreamHead(StreamId stream) {
        lock.readLock().lock();
        try {
            List<RecordedEvent> rows = streams.get(stream);
            if (rows == null || rows.isEmpty()) {
                return StreamHead.NONE;
            }
            RecordedEvent last = rows.get(rows.size() - 1);
            return new StreamHead(last.version(), last.tenantId());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected boolean doEventExists(UUID eventId) {
        lock.readLock().lock();
        try {
            return byId.containsKey(eventId);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected long doGlobalPosition() {
        lock.readLock().lock();
        try {
            return log.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    protected void doClose() {
        lock.writeLock().lock();
        try {
            log.clear();
            streams.clear();
            byId.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Configures an {@link InMemoryEventStore}; every setter validates its argument at once.
     * Defaults: the default registry, tracing on through {@link GlobalOpenTelemetry}, no observer.
     */
    public static final class Builder {
        private EventRegistry registry = EventRegistry.defaultRegistry();
        private boolean tracing = true;
        private OpenTelemetry openTelemetry;
        private StoreObserver observer = StoreObserver.NONE;

        private Builder() {
        }

        /** The registry events are looked up in. */
        public Builder eventRegistry(EventRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Whether to emit OpenTelemetry spans (see {@link TracingObserver}); on unless set. */
        public Builder tracing(boolean tracing) {
            this.tracing = tracing;
            return this;
        }

        /** Where spans go when tracing is on; {@link GlobalOpenTelemetry} unless set. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** Watches appends and reads (metrics, audit); see {@link StoreObserver}. */
        public Builder observer(StoreObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        public InMemoryEventStore build() {
            return new InMemoryEventStore(this);
        }
    }
}
