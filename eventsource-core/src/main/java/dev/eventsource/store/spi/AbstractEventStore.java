package dev.eventsource.store.spi;

import dev.eventsource.store.RecordedStream;

import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
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
import dev.eventsource.store.StoreObserver;
import dev.eventsource.store.TracingObserver;
import dev.eventsource.store.TenantGuardedAppender;
import dev.eventsource.store.MetricsObserver;
import dev.eventsource.store.EventTraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The base every backend extends: argument validation, serialization, lifecycle and lazy paging
 * are done here, once, and a backend implements only the storage of {@link SerializedEvent}s and
 * {@link RecordedEvent}s. Backends decide appends with {@link AppendRules} inside their write
 * transaction. What watches the store (tracing, the in-process {@link AppendSignal}, an
 * application's {@link StoreObserver}) is composed in as observers, not built into this class.
 */
public abstract class AbstractEventStore implements EventStore, RecordedLog {

    private final String description;
    private final EventMapper mapper;
    private final InProcessAppendSignal appendSignal = new InProcessAppendSignal();
    private final StoreObserver observer;
    private final OpenTelemetry openTelemetry;
    private final TracingObserver tracer;
    private final MetricsObserver metrics;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock initLock = new ReentrantLock();
    private volatile boolean initialized;

    /**
     * A store observed through {@link GlobalOpenTelemetry} when {@code tracing} is on; its spans and
     * metrics carry {@code db.system.name} {@value #UNSPECIFIED_SYSTEM}: a backend should rather use
     * the constructor that names its database system.
     *
     * @param description names the store in messages, e.g. {@code "SQLiteEventStore(./events.db)"}
     * @param registry    the registry events are looked up in
     * @param tracing     whether to emit OpenTelemetry spans and metrics (no-op when no SDK is installed)
     */
    protected AbstractEventStore(String description, EventRegistry registry, boolean tracing) {
        this(description, UNSPECIFIED_SYSTEM, null, "events", registry, tracing, null, StoreObserver.NONE);
    }

    /** The {@code db.system.name} of a backend that does not name its database system. */
    public static final String UNSPECIFIED_SYSTEM = "eventsource.unspecified";

    /**
     * @param description   names the store in messages
     * @param system        the OpenTelemetry {@code db.system.name}, e.g. {@link TracingObserver#SQLITE}
     * @param namespace     the spans' {@code db.namespace} (e.g. the database file), or {@code null}
     * @param eventsTable   the spans' {@code db.collection.name} for event operations, as the store's SQL names it
     * @param registry      the registry events are looked up in
     * @param tracing       whether the {@link TracingObserver} and {@link MetricsObserver} observe the store,
     *                      and appends record the current span's trace context in each event's metadata
     * @param openTelemetry where spans and metrics go; {@code null} for {@link GlobalOpenTelemetry}
     * @param observer      an application's observer, called after the telemetry ones; {@link StoreObserver#NONE} for none
     * @throws IllegalArgumentException if {@code system} is not a lower-case identifier
     */
    protected AbstractEventStore(String description, String system, String namespace, String eventsTable,
                                 EventRegistry registry, boolean tracing, OpenTelemetry openTelemetry, StoreObserver observer) {
        this.description = Objects.requireNonNull(description, "description");
        this.mapper = new EventMapper(Objects.requireNonNull(registry, "registry"));
        Objects.requireNonNull(observer, "observer");
        TracingObserver.requireSystemName(system);
        if (tracing) {
            this.openTelemetry = openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.get();
            this.tracer = new TracingObserver(this.openTelemetry, system, namespace, eventsTable);
            this.metrics = new MetricsObserver(this.openTelemetry, system);
        } else {
            this.openTelemetry = null;
            this.tracer = null;
            this.metrics = null;
        }
        // The signal comes last, so that listeners woken by it see a store whose spans have ended. Alone,
        // it needs no composite: it never throws, so there is nothing to keep from other observers.
        this.observer = tracer == null && observer == StoreObserver.NONE ? appendSignal
                : StoreObserver.of(tracer != null ? tracer : StoreObserver.NONE,
                        metrics != null ? metrics : StoreObserver.NONE, observer, appendSignal);
        this.clock = Clock.systemUTC();
    }

    /**
     * Where this store's spans and metrics go, or {@code null} when it was built with tracing off;
     * for what a backend observes beyond the base class (a connection pool's gauges).
     */
    protected final OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** The store's metrics, or {@code null} when it was built with tracing off. */
    protected final MetricsObserver metrics() {
        return metrics;
    }

    /**
     * Starts a database client span for another operation on this store's database (a shared
     * store's snapshot or checkpoint write, say), with this store's {@code db.system.name} and
     * {@code db.namespace}; {@link StoreObserver.Observation#NONE} when tracing is off. End it
     * exactly once, as {@link StoreObserver} describes.
     *
     * @throws IllegalArgumentException if either name is blank
     */
    public final StoreObserver.Observation observeOperation(String operation, String collection) {
        return tracer == null ? StoreObserver.Observation.NONE : tracer.operation(operation, collection);
    }

    /** Connects and creates or migrates the schema; called under a lock, may run more than once. */
    protected abstract void doInitialize();

    /** Appends under {@link AppendRules}; atomically. */
    protected abstract AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected);

    /**
     * Appends under {@link AppendRules} if {@code owner} {@linkplain OwnerCheck#allows allows} the
     * stream, checked atomically with the append; throws {@code owner}'s refusal, nothing written,
     * if not. Never called with {@link OwnerCheck#NONE}. By default two steps: reads the stream's
     * head, checks its owner, and appends expecting exactly the version it read
     * ({@link AppendRules#pinned}), checking again when a writer moved the stream in between; a
     * backend overrides it to check inside its own append (one round trip, as an unscoped append).
     */
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected, OwnerCheck owner) {
        for (int check = 1; ; check++) {
            long version = owner.require(doStreamHead(stream));
            try {
                return doAppend(stream, events, AppendRules.pinned(expected, version));
            } catch (dev.eventsource.store.OptimisticLockException moved) {
                if (expected.isExact() || check >= MAX_OWNER_RECHECKS) {
                    throw moved;
                }
            }
        }
    }

    /** How often the default owner-checked append checks a stream that keeps moving before it gives up. */
    private static final int MAX_OWNER_RECHECKS = 100;

    /** The rows of a stream with version above {@code afterVersion}, and its current version. */
    protected abstract RecordedStream doReadStream(StreamId stream, long afterVersion);

    /**
     * How many positions a forward page of a {@linkplain ReadOptions#isFiltered() filtered} read
     * examines at most past its cursor, unless one index walk serves the whole filter (see
     * {@link #walksAnIndex}). A poll of a rare selection then costs at most this many rows per
     * round trip, and a reader that keeps the page's position never examines a row twice.
     */
    public static final long SCAN_WINDOW = 8_192;

    /**
     * One page of the global log: at most {@code max} rows matching {@code options}'s filters,
     * strictly after {@code cursor} in {@code options.direction()} (above it forward, below it
     * backward), ordered in that direction, and the position the read got to (see
     * {@link RecordedPage}). A forward page examines positions up to
     * {@link #scanBound(ReadOptions, long, long) scanBound} and is made by
     * {@link #forwardPage forwardPage}; a backward page examines what it must to fill itself and is
     * made by {@link #backwardPage backwardPage}. Must not hold any resource after returning.
     */
    protected abstract RecordedPage doReadPage(ReadOptions options, long cursor, int max);

    /**
     * The highest position a forward page after {@code cursor} examines, given the highest position
     * the store can hand out now ({@code head}; on PostgreSQL the readable position, below any
     * transaction in flight): {@code head} for a read that selects every event or whose filter one
     * index walk serves, and at most {@link #SCAN_WINDOW} past the cursor for any other filter.
     */
    protected final long scanBound(ReadOptions options, long cursor, long head) {
        // Not cursor + SCAN_WINDOW first: a cursor near Long.MAX_VALUE would overflow.
        return options.isFiltered() && !walksAnIndex(options) && head - cursor > SCAN_WINDOW ? cursor + SCAN_WINDOW : head;
    }

    /**
     * Whether a forward page of {@code options} walks an index that holds exactly the selected rows
     * in position order (e.g. {@code (event_type, global_position)} for one event type and nothing
     * else), so that it examines only rows it returns and needs no {@link #SCAN_WINDOW}. False by
     * default.
     */
    protected boolean walksAnIndex(ReadOptions options) {
        return false;
    }

    /** Whether {@code options} select one tenant's events and filter nothing else, for {@link #walksAnIndex}. */
    protected static boolean selectsOnlyATenant(ReadOptions options) {
        return options.tenantId() != null && options.eventTypes().isEmpty() && options.aggregateTypes().isEmpty()
                && options.fromTimestamp() == null && options.toTimestamp() == null;
    }

    /**
     * A forward page of {@code rows}, read after {@code cursor} up to {@code bound} (from
     * {@link #scanBound}) with at most {@code max} rows: a full page got to its last row, a short
     * one to the bound, and at the end when the bound was the head.
     */
    protected static RecordedPage forwardPage(List<RecordedEvent> rows, int max, long cursor, long bound, long head) {
        if (rows.size() >= max) {
            return new RecordedPage(rows, rows.get(rows.size() - 1).globalPosition(), false);
        }
        return new RecordedPage(rows, Math.max(cursor, bound), bound >= head);
    }

    /** A backward page of {@code rows} read below {@code cursor} with at most {@code max} rows: at the end when short. */
    protected static RecordedPage backwardPage(List<RecordedEvent> rows, int max, long cursor) {
        return new RecordedPage(rows, rows.isEmpty() ? cursor : rows.get(rows.size() - 1).globalPosition(), rows.size() < max);
    }

    protected abstract long doStreamVersion(StreamId stream);

    /**
     * The stream's version and the tenant of its last event. By default a version read and a read
     * of the last row; a backend overrides it with one query.
     */
    protected StreamHead doStreamHead(StreamId stream) {
        long version = doStreamVersion(stream);
        if (version == 0) {
            return StreamHead.NONE;
        }
        List<RecordedEvent> last = doReadStream(stream, version - 1).events();
        return last.isEmpty() ? new StreamHead(version, null) : new StreamHead(last.get(0).version(), last.get(0).tenantId());
    }

    protected abstract boolean doEventExists(UUID eventId);

    protected abstract long doGlobalPosition();

    /** Releases resources; called once. */
    protected abstract void doClose();

    /** The mapper events go through. */
    @Override
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
        return append(aggregateId, aggregateType, events, expected, OwnerCheck.NONE);
    }

    /**
     * This store's owner-checked appends: validated, serialized and observed as {@link #append},
     * then {@link #doAppend(StreamId, List, ExpectedVersion, OwnerCheck)}, where the backend checks
     * the owner inside its append.
     */
    @Override
    public final Optional<TenantGuardedAppender> tenantGuardedAppender() {
        return Optional.of(guardedAppender);
    }

    private final TenantGuardedAppender guardedAppender = (tenantId, stream, events, expected, refusal) -> {
        if (stream == null) {
            throw new IllegalArgumentException("stream must not be null; pass StreamId.of(aggregateType, aggregateId)");
        }
        StreamId s = stream;
        if (tenantId == null || refusal == null) {
            throw new IllegalArgumentException("tenantId and refusal must not be null; use append(...) for an unscoped append");
        }
        if (events != null) {
            for (NewEvent e : events) {
                if (e != null && !tenantId.equals(e.metadata().tenantId())) {
                    throw new IllegalArgumentException("event " + e.eventId() + " carries tenant " + quoted(e.metadata().tenantId())
                            + ", not '" + tenantId + "'; an owner-checked append writes only events of its tenant:"
                            + " stamp them with EventMetadata.withTenantId first");
                }
            }
        }
        return append(s.aggregateId(), s.aggregateType(), events, expected, new OwnerCheck(tenantId, refusal));
    };

    private static String quoted(String tenant) {
        return tenant == null ? "none" : "'" + tenant + "'";
    }

    private AppendResult append(UUID aggregateId, String aggregateType, List<NewEvent> events, ExpectedVersion expected,
                                OwnerCheck owner) {
        StreamId stream = new StreamId(aggregateType, aggregateId);
        EventLimits.requireName("aggregateType", aggregateType);
        if (expected == null) {
            throw new IllegalArgumentException("expected version must not be null; use ExpectedVersion.ANY to skip the check");
        }
        if (events == null) {
            throw new IllegalArgumentException("events must not be null; pass List.of() for an empty append");
        }
        // No set for the most common append, one event: nothing to compare its id with.
        Set<UUID> ids = events.size() > 1 ? new HashSet<>() : null;
        List<SerializedEvent> serialized = new ArrayList<>(events.size());
        SpanContext producer = tracer != null ? Span.current().getSpanContext() : null;
        for (NewEvent e : events) {
            if (e == null) {
                throw new IllegalArgumentException("events must not contain null");
            }
            if (ids != null && !ids.add(e.eventId())) {
                throw new IllegalArgumentException("event id " + e.eventId() + " appears twice in one append; every event needs its own id");
            }
            if (producer != null && producer.isValid()) {
                e = e.withMetadata(EventTraceContext.stamp(e.metadata(), producer));
            }
            serialized.add(mapper.serialize(e));
        }
        ready();
        StoreObserver.Observation seen = observer.appending(aggregateId, aggregateType, serialized.size());
        AppendResult result;
        try {
            result = owner.isNone() ? doAppend(stream, serialized, expected) : doAppend(stream, serialized, expected, owner);
        } catch (RuntimeException | Error e) {
            seen.failed(e);
            throw e;
        }
        seen.succeeded(serialized.size());
        return result;
    }

    /** This store itself: it reads its own rows and owns its mapper and append signal. */
    @Override
    public final Optional<RecordedLog> recordedLog() {
        return Optional.of(this);
    }

    @Override
    public final AppendSignal appendSignal() {
        return appendSignal;
    }

    @Override
    public final EventStream getEvents(UUID aggregateId, String aggregateType, long afterVersion) {
        StreamId stream = readableStream(aggregateType, aggregateId);
        StoreObserver.Observation seen = observer.readingStream(aggregateId, aggregateType);
        EventStream result;
        try {
            RecordedStream rows = readRecordedStream(stream, afterVersion);
            List<StoredEvent> events = new ArrayList<>(rows.events().size());
            for (RecordedEvent row : rows.events()) {
                events.add(mapper.toStoredEvent(row));
            }
            result = new EventStream(aggregateId, aggregateType, events, rows.version());
        } catch (RuntimeException | Error e) {
            seen.failed(e);
            throw e;
        }
        seen.succeeded(result.events().size());
        return result;
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
    public final RecordedPage readRecordedPage(ReadOptions options) {
        Objects.requireNonNull(options, "options");
        ready();
        boolean forward = options.direction() == ReadDirection.FORWARD;
        long cursor = options.fromPosition().orElse(forward ? 0 : Long.MAX_VALUE);
        int max = options.rowsPerPage();
        return readPage(options, cursor, max);
    }

    private RecordedPage readPage(ReadOptions options, long cursor, int max) {
        ensureOpen();
        StoreObserver.Observation seen = observer.readingPage(options, max);
        RecordedPage page;
        try {
            page = doReadPage(options, cursor, max);
        } catch (RuntimeException | Error e) {
            seen.failed(e);
            throw e;
        }
        seen.succeeded(page.rows().size());
        return page;
    }

    @Override
    public final RecordedStream readRecordedStream(StreamId stream, long afterVersion) {
        Objects.requireNonNull(stream, "stream");
        if (afterVersion < 0) {
            throw new IllegalArgumentException("afterVersion must be >= 0; got " + afterVersion);
        }
        ready();
        return doReadStream(stream, afterVersion);
    }

    @Override
    public final long getStreamVersion(UUID aggregateId, String aggregateType) {
        StreamId stream = readableStream(aggregateType, aggregateId);
        ready();
        return doStreamVersion(stream);
    }

    /** The stream's version and the tenant of its last event, in one query where the backend has one. */
    @Override
    public final StreamHead getStreamHead(UUID aggregateId, String aggregateType) {
        StreamId stream = readableStream(aggregateType, aggregateId);
        ready();
        return doStreamHead(stream);
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
     * The stream a read names. {@link StreamId} refuses a type that no store can hold (a NUL or an
     * unpaired surrogate) rather than let it be looked up: SQLite and PostgreSQL would match it
     * against a different, stored type, and the in-memory store would not. Length is not checked,
     * so streams stored before the name limit existed stay readable.
     */
    private static StreamId readableStream(String aggregateType, UUID aggregateId) {
        return new StreamId(aggregateType, aggregateId);
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

    /**
     * Fetches one page at a time; holds nothing but the current page between calls. Goes on past
     * empty pages of a filtered read until the store says it reached the end.
     */
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
            while (index >= page.size()) {
                if (exhausted || remaining <= 0) {
                    return false;
                }
                RecordedPage read = readPage(options, cursor, (int) Math.min(options.pageSize(), remaining));
                page = read.rows();
                index = 0;
                cursor = read.position();
                exhausted = read.atEnd();
            }
            return true;
        }

        @Override
        public RecordedEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            remaining--;
            return page.get(index++);
        }
    }
}
