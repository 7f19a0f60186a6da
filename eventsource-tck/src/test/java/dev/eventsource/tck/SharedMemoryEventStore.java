package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.store.spi.AppendRules;
import dev.eventsource.store.spi.ExistingEvent;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An in-memory store whose data outlives it and can be opened by several instances at once, like
 * a database file: the reference backend the TCK's own tests run {@link ReopenContract} against.
 */
final class SharedMemoryEventStore extends AbstractEventStore {

    /** The shared data, standing in for a database. */
    static final class Database {
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final List<RecordedEvent> log = new ArrayList<>();
        private final Map<StreamId, List<RecordedEvent>> streams = new HashMap<>();
        private final Map<UUID, RecordedEvent> byId = new HashMap<>();
    }

    private final Database db;

    SharedMemoryEventStore(Database db, EventRegistry registry) {
        super("SharedMemoryEventStore", registry, false);
        this.db = db;
    }

    Database database() {
        return db;
    }

    @Override
    protected void doInitialize() {
    }

    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected) {
        db.lock.writeLock().lock();
        try {
            List<RecordedEvent> rows = db.streams.getOrDefault(stream, List.of());
            Map<UUID, ExistingEvent> existing = new HashMap<>();
            for (SerializedEvent e : events) {
                RecordedEvent found = db.byId.get(e.eventId());
                if (found != null) {
                    existing.put(found.eventId(), new ExistingEvent(found.eventId(), found.stream(), found.version(),
                            found.globalPosition()));
                }
            }
            AppendRules.Decision decision = AppendRules.decide(stream, expected, rows.size(), events, existing);
            if (decision instanceof AppendRules.Retry retry) {
                return retry.result();
            }
            AppendRules.Write write = (AppendRules.Write) decision;
            long version = write.firstVersion();
            long position = db.log.size();
            for (SerializedEvent e : write.events()) {
                RecordedEvent row = e.recorded(stream, version++, ++position, now());
                db.log.add(row);
                db.streams.computeIfAbsent(stream, k -> new ArrayList<>()).add(row);
                db.byId.put(row.eventId(), row);
            }
            return write.result(position);
        } finally {
            db.lock.writeLock().unlock();
        }
    }

    @Override
    protected RecordedStream doReadStream(StreamId stream, long afterVersion) {
        db.lock.readLock().lock();
        try {
            List<RecordedEvent> rows = db.streams.getOrDefault(stream, List.of());
            int from = (int) Math.min(afterVersion, rows.size());
            return new RecordedStream(List.copyOf(rows.subList(from, rows.size())), rows.size());
        } finally {
            db.lock.readLock().unlock();
        }
    }

    @Override
    protected RecordedPage doReadPage(ReadOptions o, long cursor, int max) {
        db.lock.readLock().lock();
        try {
            List<RecordedEvent> page = new ArrayList<>();
            boolean forward = o.direction() == ReadDirection.FORWARD;
            long head = db.log.size();
            long bound = forward ? scanBound(o, cursor, head) : head;
            long start = forward ? cursor : Math.min(cursor - 1, db.log.size()) - 1;
            for (long i = start; i >= 0 && i < bound && page.size() < max; i += forward ? 1 : -1) {
                RecordedEvent row = db.log.get((int) i);
                if (o.selectsEventType(row.eventType())
                        && (o.aggregateTypes().isEmpty() || o.aggregateTypes().contains(row.aggregateType()))
                        && (o.tenantId() == null || o.tenantId().equals(row.tenantId()))
                        && (o.fromTimestamp() == null || !row.occurredAt().isBefore(o.fromTimestamp()))
                        && (o.toTimestamp() == null || !row.occurredAt().isAfter(o.toTimestamp()))) {
                    page.add(row);
                }
            }
            return forward ? forwardPage(page, max, cursor, bound, head) : backwardPage(page, max, cursor);
        } finally {
            db.lock.readLock().unlock();
        }
    }

    @Override
    protected long doStreamVersion(StreamId stream) {
        return doReadStream(stream, Long.MAX_VALUE).version();
    }

    @Override
    protected boolean doEventExists(UUID eventId) {
        db.lock.readLock().lock();
        try {
            return db.byId.containsKey(eventId);
        } finally {
            db.lock.readLock().unlock();
        }
    }

    @Override
    protected long doGlobalPosition() {
        db.lock.readLock().lock();
        try {
            return db.log.size();
        } finally {
            db.lock.readLock().unlock();
        }
    }

    @Override
    protected void doClose() {
        // The data belongs to the database, not to this instance.
    }
}
