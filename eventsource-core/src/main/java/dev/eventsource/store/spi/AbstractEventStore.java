package dev.eventsource.store.spi;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventLimits;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The base every backend extends: argument validation, serialization, lifecycle, tracing and
 * lazy paging are done here, once, and a backend implements only the storage of
 * {@link SerializedEvent}s and {@link RecordedEvent}s. Backends decide appends with
 * {@link AppendRules} inside their write transaction.
 */
public abstract class AbstractEventStore implements EventStore, RecordedEventReader {

    private final String description;
    private final EventMapper mapper;
    private final Tracer tracer;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock initLock = new ReentrantLock();
    private volatile boolean initialized;
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();

    /**
     * @param description names the store in messages, e.g. {@code "SQLiteEventStore(./events.db)"}
     * @param registry    the registry events are looked up in
     * @param tracing     whether to emit OpenTelemetry spans (no-op when no SDK is installed)
     */
    protected AbstractEventStore(String description, EventRegistry registry, boolean tracing) {
        this.description = Objects.requireNonNull(description, "description");
        this.mapper = new EventMapper(Objects.requireNonNull(registry, "registry"));
        this.tracer = tracing ? GlobalOpenTelemetry.getTracer("dev.eventsource") : null;
        this.clock = Clock.systemUTC();
    }

    /** Connects and creates or migrates the schema; called under a lock, may run more than once. */
    protected abstract void doInitialize();

    /** Appends under {@link AppendRules}; atomically. */
    protected abstract AppendResult doAppend(StreamKey stream, List<SerializedEvent> events, ExpectedVersion expected);

    /** The rows of a stream with version above {@code afterVersion}, and its current version. */
    protected abstract RecordedStream doReadStream(StreamKey stream, long afterVersion);

    /**
     * One page of the global log: at most {@code max} rows matching {@code options}'s filters,
     * strictly after {@code cursor} in {@code options.direction()} (above it forward, below it
     * backward), ordered in that direction. Must not hold any resource after returning.
     */
    protected abstract List<RecordedEvent> doReadPage(ReadOptions options, long cursor, int max);

    protected abstract long doStreamVersion(StreamKey stream);

    protected abstract boolean doEventExists(UUID eventId);

    protected abstract long doGlobalPosition();

    /** Releases resources; called once. */
    protected abstract void doClose();

    /** The mapper events go through. */
    public final EventMapper mapper() {
        return mapper;
    }

    /** The registry events are looked up in. */
    public final EventRegistry eventRegistry() {
        return mapper.registry();
    }

    /** The time to record now, truncated to microseconds. */
    protected final Instant now() {
        return EventMapper.truncate(clock.instant());
    }

    public final boolean isClosed() {
        return closed.get();
    }

    @Override
    public final void initialize() {
        ensureOpen();
        initLock.lock();
        try {
            ensureOpen();
            doInitialize();
            initialized = true;
        } finally {
            initLock.unlock();
        }
    }

    @Override
    public final AppendResult append(UUID aggregateId, String aggregateType, List<NewEvent> events,
                                     ExpectedVersion expected) {
        StreamKey stream = new StreamKey(aggregateType, aggregateId);
        EventLimits.requireName("aggregateType", aggregateType);
        if (expected == null) {
            throw new IllegalArgumentException("expected version must not be null; use ExpectedVersion.ANY to skip the check");
        }
        if (events == null) {
            throw new IllegalArgumentException("events must not be null; pass List.of() for an empty append");
        }
        Set<UUID> ids = new HashSet<>();
        List<SerializedEvent> serialized = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            if (e == null) {
                throw new IllegalArgumentException("events must not contain null");
            }
            if (!ids.add(e.eventId())) {
                throw new IllegalArgumentException("event id " + e.eventId() + " appears twice in one append; every event needs its own id");
            }
            serialized.add(mapper.serialize(e));
        }
        ready();
        AppendResult result = traced("eventsource.append", stream, () -> doAppend(stream, serialized, expected));
        if (!serialized.isEmpty()) {
            notifyAppendListeners();
        }
        return result;
    }

    /**
     * Registers {@code listener} to run after every successful append of this store instance that
     * carried events, on the appending thread and after the append's transaction committed. It is
     * a wake-up, not a delivery: it says nothing about which events were written (an idempotent
     * retry that wrote nothing also fires it), and subscribers read the log to find out. A listener
     * must return quickly and do no I/O; an exception it throws is swallowed, so a listener can
     * never fail an append. Writes by other store instances or processes do not fire it.
     */
    public final void addAppendListener(Runnable listener) {
        appendListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added by {@link #addAppendListener}; unknown listeners are ignored. */
    public final void removeAppendListener(Runnable listener) {
        appendListeners.remove(listener);
    }

    private void notifyAppendListeners() {
        for (Runnable listener : appendListeners) {
            try {
                listener.run();
            } catch (RuntimeException ignored) {
                // The append has committed; a broken listener must not turn it into a reported failure.
            }
        }
    }

    @Override
    public final EventStream getEvents(UUID aggregateId, String aggregateType, long afterVersion) {
        StreamKey stream = readableStream(aggregateType, aggregateId);
        return traced("eventsource.read_stream", stream, () -> {
            RecordedStream rows = readRecordedStream(stream, afterVersion);
            List<StoredEvent> events = new ArrayList<>(rows.events().size());
            for (RecordedEvent row : rows.events()) {
                events.add(mapper.toStoredEvent(row));
            }
            return new EventStream(aggregateId, aggregateType, events, rows.version());
        });
    }

    @Override
    public final Stream<StoredEvent> readAll(ReadOptions options) {
        Objects.requireNonNull(options, "options");
        ready();
        return readRecorded(options).map(mapper::toStoredEvent);
    }

    /**
     * The global log as stored rows, without deserializing payloads: for tools that inspect a
     * store without its event classes. Same paging contract as {@link #readAll(ReadOptions)}.
     */
    @Override
    public final Stream<RecordedEvent> readRecorded(ReadOptions options) {
        Objects.requireNonNull(options, "options");
        ready();
        Iterator<RecordedEvent> pages = new PageIterator(options);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public final RecordedStream readRecordedStream(StreamKey stream, long afterVersion) {
        Objects.requireNonNull(stream, "stream");
        if (afterVersion < 0) {
            throw new IllegalArgumentException("afterVersion must be >= 0; got " + afterVersion);
        }
        ready();
        return doReadStream(stream, afterVersion);
    }

    @Override
    public final long getStreamVersion(UUID aggregateId, String aggregateType) {
        StreamKey stream = readableStream(aggregateType, aggregateId);
        ready();
        return doStreamVersion(stream);
    }

    @Override
    public final boolean eventExists(UUID eventId) {
        if (eventId == null) {
            throw new IllegalArgumentException("eventId must not be null");
        }
        ready();
        return doEventExists(eventId);
    }

    @Override
    public final long globalPosition() {
        ready();
        return doGlobalPosition();
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            initLock.lock();
            try {
                doClose();
            } finally {
                initLock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * The stream a read names. A type that no store can hold (a NUL or an unpaired surrogate) is
     * refused rather than looked up: SQLite and PostgreSQL would match it against a different,
     * stored type, and the in-memory store would not. Length is not checked, so streams stored
     * before the name limit existed stay readable.
     */
    private static StreamKey readableStream(String aggregateType, UUID aggregateId) {
        StreamKey stream = new StreamKey(aggregateType, aggregateId);
        EventLimits.requireWellFormed("aggregateType", aggregateType);
        return stream;
    }

    /** Throws {@link StoreClosedException} after close. */
    protected final void ensureOpen() {
        if (closed.get()) {
            throw new StoreClosedException(description);
        }
    }

    /**
     * Throws {@link StoreClosedException} after close, and initializes the store on first use; for
     * the roles a backend adds beyond {@link EventStore}.
     */
    protected final void ready() {
        ensureOpen();
        if (!initialized) {
            initialize();
        }
    }

    private <T> T traced(String name, StreamKey stream, Supplier<T> work) {
        if (tracer == null) {
            return work.get();
        }
        Span span = tracer.spanBuilder(name)
                .setAttribute("eventsource.aggregate_type", stream.aggregateType())
                .setAttribute("eventsource.aggregate_id", stream.aggregateId().toString())
                .setAttribute("db.system", description)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** Fetches one page at a time; holds nothing but the current page between calls. */
    private final class PageIterator implements Iterator<RecordedEvent> {
        private final ReadOptions options;
        private long cursor;
        private long remaining;
        private List<RecordedEvent> page = List.of();
        private int index;
        private boolean exhausted;

        PageIterator(ReadOptions options) {
            this.options = options;
            boolean forward = options.direction() == ReadDirection.FORWARD;
            this.cursor = options.fromPosition().orElse(forward ? 0 : Long.MAX_VALUE);
            this.remaining = options.limit().isPresent() ? options.limit().getAsInt() : Long.MAX_VALUE;
        }

        @Override
        public boolean hasNext() {
            if (index < page.size()) {
                return true;
            }
            if (exhausted || remaining <= 0) {
                return false;
            }
            ensureOpen();
            int max = (int) Math.min(options.pageSize(), remaining);
            page = doReadPage(options, cursor, max);
            index = 0;
            if (page.size() < max) {
                exhausted = true;
            }
            return !page.isEmpty();
        }

        @Override
        public RecordedEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RecordedEvent row = page.get(index++);
            cursor = row.globalPosition();
            remaining--;
            return row;
        }
    }
}
