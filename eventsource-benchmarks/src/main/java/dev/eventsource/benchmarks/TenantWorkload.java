package dev.eventsource.benchmarks;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamHead;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The workload of the tenant-scoping benchmarks ({@link TenancyBenchmark} on SQLite,
 * {@link RowLevelSecurityBenchmark} on PostgreSQL), so that both measure the same thing: tenant
 * {@code acme}'s single-event appends to its existing streams and to new ones, and reading its half
 * of a log shared with tenant {@code globex}.
 */
final class TenantWorkload {

    /** The tenant measured. */
    static final String TENANT = "acme";
    /** Its stamp, for appends through an unscoped store. */
    static final EventMetadata STAMP = EventMetadata.EMPTY.withTenantId(TENANT);
    /** Streams appended to round-robin by the existing-stream benchmarks. */
    static final int STREAMS = 100;
    /** Events in the shared log, half {@code acme}'s, in appends of 100 alternating between the tenants. */
    static final int LOG = 20_000;

    /** The single event every append writes. */
    final List<DomainEvent> one = List.of(BenchEvents.event(UUID.randomUUID(), 0));
    private int next;

    private TenantWorkload() {
    }

    /** A workload; fill each store with {@link #streams} and {@link #log}. */
    static TenantWorkload create() {
        return new TenantWorkload();
    }

    /** {@link #STREAMS} streams of {@code acme} in {@code store}, one event each. */
    UUID[] streams(EventStore store) {
        UUID[] ids = new UUID[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            ids[i] = UUID.randomUUID();
            store.appendEvents(ids[i], BenchEvents.TYPE, one, ExpectedVersion.NO_STREAM, STAMP);
        }
        return ids;
    }

    /** Appends the shared log of {@link #LOG} events to {@code store}. */
    void log(EventStore store) {
        EventMetadata globex = EventMetadata.EMPTY.withTenantId("globex");
        for (int i = 0; i < LOG / 100; i++) {
            List<DomainEvent> batch = new ArrayList<>(100);
            UUID order = UUID.randomUUID();
            for (int e = 0; e < 100; e++) {
                batch.add(BenchEvents.event(order, e));
            }
            store.appendEvents(order, BenchEvents.TYPE, batch, ExpectedVersion.NO_STREAM, i % 2 == 0 ? STAMP : globex);
        }
    }

    /** One event to the next of {@code streams}: stamped by hand through an unscoped store, by the view through a scoped one. */
    AppendResult appendExisting(EventStore store, UUID[] streams, boolean stamp) {
        UUID id = streams[next++ % streams.length];
        return stamp ? store.appendEvents(id, BenchEvents.TYPE, one, ExpectedVersion.ANY, STAMP)
                : store.appendEvents(id, BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    /** One event to a new stream, stamped as {@link #appendExisting}. */
    AppendResult appendNew(EventStore store, boolean stamp) {
        UUID id = UUID.randomUUID();
        return stamp ? store.appendEvents(id, BenchEvents.TYPE, one, ExpectedVersion.ANY, STAMP)
                : store.appendEvents(id, BenchEvents.TYPE, one, ExpectedVersion.ANY);
    }

    /** Counts {@code acme}'s events: filtered by the store when {@code filter}, else as the (scoped) store gives them. */
    static long readTenant(EventStore store, boolean filter) {
        try (Stream<StoredEvent> events = store.readAll(filter ? ReadOptions.builder().tenantId(TENANT).build() : ReadOptions.ALL)) {
            return events.count();
        }
    }

    /**
     * {@code store} without its owner-checked appends: a view over it checks the stream's head
     * first and appends expecting that version, the protocol every view used before the owner
     * check moved into the append. For a before/after pair in one run.
     */
    static EventStore headCheckFirst(EventStore store) {
        return new EventStore() {
            @Override
            public AppendResult append(UUID aggregateId, String aggregateType, List<NewEvent> events, ExpectedVersion expected) {
                return store.append(aggregateId, aggregateType, events, expected);
            }

            @Override
            public EventStream getEvents(UUID aggregateId, String aggregateType, long afterVersion) {
                return store.getEvents(aggregateId, aggregateType, afterVersion);
            }

            @Override
            public StreamHead getStreamHead(UUID aggregateId, String aggregateType) {
                return store.getStreamHead(aggregateId, aggregateType);
            }

            @Override
            public long getStreamVersion(UUID aggregateId, String aggregateType) {
                return store.getStreamVersion(aggregateId, aggregateType);
            }

            @Override
            public Stream<StoredEvent> readAll(ReadOptions options) {
                return store.readAll(options);
            }

            @Override
            public boolean eventExists(UUID eventId) {
                return store.eventExists(eventId);
            }

            @Override
            public long globalPosition() {
                return store.globalPosition();
            }

            @Override
            public void initialize() {
                store.initialize();
            }

            @Override
            public void close() {
            }
        };
    }
}
