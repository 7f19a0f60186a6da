package dev.eventsource.tenant;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.TenantGuardedAppender;
import dev.eventsource.store.spi.AppendRules;
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
 * whole store (an event id and the log's length tell nothing of another tenant's data), and it
 * offers no {@linkplain #recordedLog() stored-row log}, which would read every tenant's rows. Closing
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
        if (options.tenantId() != null && !options.tenantId().equals(tenant.value())) {
            throw new CrossTenantAccessException(tenant, options.tenantId(), "read the global log");
        }
        ReadOptions own = options.tenantId() == null ? options.toBuilder().tenantId(tenant.value()).build() : options;
        return store.readAll(own).map(e -> requireOwn(e, "read event " + e.eventId()));
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

    /** Empty: a stored-row log would read every tenant's rows. */
    @Override
    public Optional<RecordedLog> recordedLog() {
        return Optional.empty();
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
