package dev.eventsource.tenant;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.LogStatistics;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.StreamPage;
import dev.eventsource.store.TenantGuardedAppender;
import dev.eventsource.store.spi.AppendRules;
import dev.eventsource.store.spi.AppendSignal;
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.store.spi.RecordedLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One tenant's view of a shared store: everything it writes carries its tenant, and it reads,
 * appends to and versions only streams of its tenant. See {@code docs/tenancy.md} and ADR 0005.
 *
 * <pre>{@code
 * EventStore acme = TenantScopedEventStore.of(store, TenantId.of("acme"));
 * var notes = new AggregateRepository<>(acme, Note::new, "Note");   // loads and saves acme's notes only
 * }</pre>
 *
 * <p>A stream belongs to the tenant of its events (ids stay global: the tenant is a guarded tag,
 * not part of a stream's identity). The view:
 * <ul>
 *   <li>stamps its tenant on every event it appends that has none, and refuses an event stamped
 *       with another tenant;</li>
 *   <li>refuses to append to, read or version a stream whose events belong to another tenant, or
 *       to no tenant ({@link CrossTenantAccessException} naming both; nothing written, nothing
 *       returned). An append is checked atomically: the store checks the owner inside the append
 *       itself ({@link EventStore#tenantGuardedAppender()}); a store without that role gets its
 *       owner checked first and the append expecting the version checked, so an owner cannot
 *       change in between (with {@link ExpectedVersion#ANY} or {@link ExpectedVersion#STREAM_EXISTS}
 *       a concurrent append makes the view check again; with an exact expected version the
 *       caller's {@link OptimisticLockException} stands);</li>
 *   <li>reads the global log filtered to its tenant, and refuses a filter on another tenant.</li>
 * </ul>
 *
 * <p>What it does not hide: {@link #eventExists(UUID)} and {@link #globalPosition()} answer for the
 * whole store (an event id and the log's length tell nothing of another tenant's data). Its
 * {@linkplain #recordedLog() stored-row log} is scoped as its reads are. Closing
 * a view does not close the store. An append costs what an unscoped one does on a store that offers
 * {@linkplain EventStore#tenantGuardedAppender() owner-checked appends} (every store of this
 * library: the store checks the owner inside its append); on another store it costs one extra read
 * ({@link #getStreamHead}) before the append. A load costs nothing extra unless it reads no event
 * (then one). Thread-safe if the store is.
 */
public final class TenantScopedEventStore implements EventStore {

    /** How often an {@code ANY} append re-checks a stream that keeps moving before it gives up. */
    private static final int MAX_RECHECKS = 100;

    private final EventStore store;
    private final TenantId tenant;
    /** The store's owner-checked appends, or {@code null} if it offers none (then: check, then append). */
    private final TenantGuardedAppender guarded;

    private TenantScopedEventStore(EventStore store, TenantId tenant) {
        this.store = Objects.requireNonNull(store, "store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.guarded = store.tenantGuardedAppender().orElse(null);
    }

    /**
     * {@code tenant}'s view of {@code store}. (A view of another tenant's view refuses everything,
     * since the inner view checks its own tenant.)
     */
    public static TenantScopedEventStore of(EventStore store, TenantId tenant) {
        return new TenantScopedEventStore(store, tenant);
    }

    /** The tenant this view is scoped to. */
    public TenantId tenant() {
        return tenant;
    }

    @Override
    public AppendResult append(UUID aggregateId, String aggregateType, List<NewEvent> events, ExpectedVersion expected) {
        StreamId stream = new StreamId(aggregateType, aggregateId);
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(expected, "expected");
        List<NewEvent> stamped = stamp(stream, events);
        if (guarded != null) {
            // The store checks the owner inside its append: one round trip, as an unscoped append.
            return guarded.appendAsOwner(tenant.value(), stream, stamped, expected,
                    head -> new CrossTenantAccessException(tenant, head.tenantId(), "append to stream " + stream));
        }
        for (int check = 1; ; check++) {
            long version = ownedVersion(stream, "append to stream " + stream);
            try {
                return store.append(aggregateId, aggregateType, stamped, AppendRules.pinned(expected, version));
            } catch (OptimisticLockException moved) {
                if (expected.isExact() || check >= MAX_RECHECKS) {
                    throw moved;
                }
                // The stream moved between the owner check and the append: check its owner again.
            }
        }
    }

    private List<NewEvent> stamp(StreamId stream, List<NewEvent> events) {
        List<NewEvent> stamped = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            Objects.requireNonNull(e, "events must not contain null");
            String owner = e.metadata().tenantId();
            if (owner == null) {
                stamped.add(new NewEvent(e.event(), e.eventId(), e.occurredAt(), e.metadata().withTenantId(tenant.value())));
            } else if (owner.equals(tenant.value())) {
                stamped.add(e);
            } else {
                throw new CrossTenantAccessException(tenant, owner, "append event " + e.eventId() + " to stream " + stream);
            }
        }
        return stamped;
    }

    /** The stream's version after checking that its last event is this tenant's; 0 for a stream that does not exist. */
    private long ownedVersion(StreamId stream, String what) {
        return requireOwn(store.getStreamHead(stream.aggregateId(), stream.aggregateType()), what).version();
    }

    private StreamHead requireOwn(StreamHead head, String what) {
        if (head.version() > 0 && !tenant.value().equals(head.tenantId())) {
            throw new CrossTenantAccessException(tenant, head.tenantId(), what);
        }
        return head;
    }

    private void requireOwn(List<StoredEvent> events, String what) {
        for (StoredEvent e : events) {
            requireOwn(e, what);
        }
    }

    private StoredEvent requireOwn(StoredEvent e, String what) {
        if (!tenant.value().equals(e.tenantId())) {
            throw new CrossTenantAccessException(tenant, e.tenantId(), what);
        }
        return e;
    }

    /**
     * The stream's events after {@code afterVersion}, all of this tenant.
     *
     * @throws CrossTenantAccessException if the stream belongs to another tenant or to none, also
     *                                    when no event after {@code afterVersion} is left to show it
     */
    @Override
    public EventStream getEvents(UUID aggregateId, String aggregateType, long afterVersion) {
        EventStream read = store.getEvents(aggregateId, aggregateType, afterVersion);
        String what = "read stream " + read.streamId();
        requireOwn(read.events(), what);
        if (read.events().isEmpty() && read.version() > 0) {
            // No event read shows the owner: past the end, or rows the store does not show this tenant.
            requireOwn(store.getStreamHead(aggregateId, aggregateType), what);
        }
        return read;
    }

    /** The stream's version; refused, as {@link #getEvents}, for a stream of another tenant or none. */
    @Override
    public long getStreamVersion(UUID aggregateId, String aggregateType) {
        StreamId stream = new StreamId(aggregateType, aggregateId);
        return ownedVersion(stream, "read the version of stream " + stream);
    }

    /** The stream's head; refused, as {@link #getEvents}, for a stream of another tenant or none. */
    @Override
    public StreamHead getStreamHead(UUID aggregateId, String aggregateType) {
        StreamId stream = new StreamId(aggregateType, aggregateId);
        return requireOwn(store.getStreamHead(aggregateId, aggregateType), "read the version of stream " + stream);
    }

    /**
     * This tenant's events of the global log selected by {@code options}.
     *
     * @throws CrossTenantAccessException if {@code options} asks for another tenant
     */
    @Override
    public Stream<StoredEvent> readAll(ReadOptions options) {
        Objects.requireNonNull(options, "options");
        return store.readAll(own(options, "read the global log")).map(e -> requireOwn(e, "read event " + e.eventId()));
    }

    /** Whether an event with this id is stored, in any tenant. */
    @Override
    public boolean eventExists(UUID eventId) {
        return store.eventExists(eventId);
    }

    /** The store's global position, across all tenants. */
    @Override
    public long globalPosition() {
        return store.globalPosition();
    }

    @Override
    public void initialize() {
        store.initialize();
    }

    /**
     * Owner-checked appends through this view, so that a view over this view keeps them: an
     * append as this view's tenant is this view's {@link #append} (checked by the store in one
     * round trip where it can); one as another tenant is refused, as this view refuses that
     * tenant's events, with {@link CrossTenantAccessException}.
     */
    @Override
    public Optional<TenantGuardedAppender> tenantGuardedAppender() {
        return Optional.of((tenantId, stream, events, expected, refusal) -> {
            if (stream == null) {
                throw new IllegalArgumentException("stream must not be null; pass StreamId.of(aggregateType, aggregateId)");
            }
            StreamId s = stream;
            if (!tenant.value().equals(tenantId)) {
                throw new CrossTenantAccessException(tenant, tenantId, "append events of tenant '" + tenantId + "' to stream " + s);
            }
            return append(s.aggregateId(), s.aggregateType(), events, expected);
        });
    }

    /** This view's tenant: a subscription manager built on the view keeps its checkpoints under names qualified by it. */
    @Override
    public Optional<String> tenantScope() {
        return Optional.of(tenant.value());
    }

    /**
     * This tenant's stored rows, when the store offers a {@linkplain EventStore#recordedLog() stored-row
     * log}: every read is filtered to this tenant (a filter on another tenant is refused with
     * {@link CrossTenantAccessException}), every row returned is checked to be this tenant's, and a
     * stream of another tenant, or of none, is refused as {@link #getEvents} refuses it. The point
     * queries answer as this view's; the mapper and the append signal are the store's (a wake-up
     * after another tenant's append costs one read that finds nothing). A subscription manager on
     * the view therefore works as on the store: it reads rows, dead-letters the one it cannot decode,
     * wakes on this process's appends and reads on from where each filtered page got to.
     */
    @Override
    public Optional<RecordedLog> recordedLog() {
        return store.recordedLog().map(ScopedLog::new);
    }

    /** The view's filter on {@code options}: this tenant's, refusing another's; null stays null (the reader refuses it). */
    private ReadOptions own(ReadOptions options, String what) {
        if (options == null) {
            return null;
        }
        if (options.tenantId() == null) {
            return options.toBuilder().tenantId(tenant.value()).build();
        }
        if (!options.tenantId().equals(tenant.value())) {
            throw new CrossTenantAccessException(tenant, options.tenantId(), what);
        }
        return options;
    }

    private RecordedEvent requireOwn(RecordedEvent row) {
        if (!tenant.value().equals(row.tenantId())) {
            throw new CrossTenantAccessException(tenant, row.tenantId(), "read event " + row.eventId());
        }
        return row;
    }

    /** {@link #recordedLog()}: the store's log, read as this tenant. */
    private final class ScopedLog implements RecordedLog {

        private final RecordedLog log;

        ScopedLog(RecordedLog log) {
            this.log = log;
        }

        @Override
        public Stream<RecordedEvent> readRecorded(ReadOptions options) {
            return log.readRecorded(own(options, "read the global log")).map(TenantScopedEventStore.this::requireOwn);
        }

        @Override
        public RecordedPage readRecordedPage(ReadOptions options) {
            RecordedPage page = log.readRecordedPage(own(options, "read the global log"));
            page.rows().forEach(TenantScopedEventStore.this::requireOwn);
            return page;
        }

        @Override
        public RecordedStream readRecordedStream(StreamId stream, long afterVersion) {
            RecordedStream read = log.readRecordedStream(stream, afterVersion);
            String what = "read stream " + stream;
            for (RecordedEvent row : read.events()) {
                if (!tenant.value().equals(row.tenantId())) {
                    throw new CrossTenantAccessException(tenant, row.tenantId(), what);
                }
            }
            if (read.events().isEmpty() && read.version() > 0) {
                requireOwn(store.getStreamHead(stream.aggregateId(), stream.aggregateType()), what);
            }
            return read;
        }

        @Override
        public StreamPage listStreams(ReadOptions filter, long offset, int limit) {
            return log.listStreams(own(filter, "list the streams"), offset, limit);
        }

        @Override
        public LogStatistics statistics(ReadOptions filter) {
            return log.statistics(own(filter, "count the events"));
        }

        @Override
        public long getStreamVersion(UUID aggregateId, String aggregateType) {
            return TenantScopedEventStore.this.getStreamVersion(aggregateId, aggregateType);
        }

        @Override
        public boolean eventExists(UUID eventId) {
            return TenantScopedEventStore.this.eventExists(eventId);
        }

        @Override
        public long globalPosition() {
            return TenantScopedEventStore.this.globalPosition();
        }

        @Override
        public EventMapper mapper() {
            return log.mapper();
        }

        @Override
        public AppendSignal appendSignal() {
            return log.appendSignal();
        }

        @Override
        public String toString() {
            return "ScopedLog(" + tenant + ", " + log + ")";
        }
    }

    /** Does nothing: the view does not own the store. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "TenantScopedEventStore(" + tenant + ", " + store + ")";
    }
}
