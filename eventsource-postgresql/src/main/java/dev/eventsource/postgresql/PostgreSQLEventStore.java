package dev.eventsource.postgresql;

import dev.eventsource.postgresql.internal.Summaries;
import dev.eventsource.store.LogStatistics;
import dev.eventsource.store.RecordedEventReader;
import dev.eventsource.store.StreamPage;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import dev.eventsource.EventSourceException;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.internal.CommitNotifier;
import dev.eventsource.postgresql.internal.EventsTable;
import dev.eventsource.postgresql.internal.QuietLogging;
import dev.eventsource.postgresql.internal.PgErrors;
import dev.eventsource.postgresql.internal.PostgreSQLImporter;
import dev.eventsource.postgresql.internal.Schema;
import dev.eventsource.jdbc.SqlNames;
import dev.eventsource.store.AppendOutcomeUnknownException;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStoreInterruptedException;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOnlyStoreException;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreObserver;
import dev.eventsource.store.TracingObserver;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.ImportOutcomeUnknownException;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.spi.OwnerCheck;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
import dev.eventsource.tenant.TenantId;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An event store on PostgreSQL, for many application instances writing to one database.
 *
 * <p>Built from a {@link DataSource} the caller owns (the store borrows connections and never
 * closes it), or from a {@code jdbc:postgresql://} URL, in which case the store creates a HikariCP
 * pool, starts it on first use and closes it in {@link #close()}:
 *
 * <pre>{@code
 * try (var store = PostgreSQLEventStore.builder("jdbc:postgresql://localhost/app")
 *         .credentials("app", secret).schema("events").build()) {
 *     store.initialize();
 *     ...
 * }
 * }</pre>
 *
 * <p>The tables live in one schema ({@code public} by default) under a table prefix
 * ({@code eventsource_} by default), so several stores can share a database. Both names are
 * checked against {@code [a-z_][a-z0-9_]{0,40}} (the prefix may also be empty) and anything else
 * is refused: they are the only text ever put into SQL. {@link #initialize()} creates or upgrades
 * the schema under an advisory lock, so instances may start at the same moment; teams that apply
 * DDL with Flyway or Liquibase take it from {@link #schemaSql(String, String)}.
 *
 * <p>Appends are one statement in the common case; a conflict is found by the unique
 * {@code (aggregate_type, aggregate_id, version)} constraint, never by a read-then-write race, and
 * surfaces as {@link dev.eventsource.store.OptimisticLockException} with the stream's actual version.
 * Failures worth retrying (serialization failure, deadlock, lost connection, pool exhausted) surface
 * as {@link TransientStoreException}. One-event appends made at the same time by different threads
 * of a store not bound to a tenant share a statement and commit together (at most
 * {@code max(2, maxPoolSize / 4)} such statements in flight, two on your own {@link DataSource});
 * each is still decided alone and gets its own result or exception, and an append the shared
 * statement did not insert is decided by its own thread as without sharing
 * ({@code docs/adr/0007-postgresql-shared-append-statements.md}).
 *
 * <p>Forward reads of the global log are gap-safe while writers commit in parallel: a reader that
 * has seen position {@code p} never later receives an event below {@code p}. Events of a
 * transaction still in progress hold back the events above them until it ends. This requires
 * every writer to go through this class (see {@code docs/adr/0001-postgresql-gap-safe-global-order.md}).
 * Backward reads are not held back. {@link #globalPosition()} is the highest committed position.
 *
 * <p>Thread-safe; nothing is synchronized around I/O.
 */
public final class PostgreSQLEventStore extends AbstractEventStore implements EventImporter {

    /** The schema used when none is set. */
    public static final String DEFAULT_SCHEMA = "public";

    /** The table prefix used when none is set. */
    public static final String DEFAULT_TABLE_PREFIX = "eventsource_";

    /** The wake-up sent after appends commit: asynchronous commit for its own transaction only, then the notification. */
    private static final String NOTIFY = "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, '')";

    /**
     * How often an append re-decides under its stream's lock after a unique violation, before giving
     * up. The fast path inserts only while the stream's lock is free ({@code pg_try_advisory_xact_lock}),
     * so the lock holder is never overtaken on its own stream; what is left is an event id stored
     * meanwhile by a writer of another stream (a retried append racing itself), which one re-decision
     * settles. (It was 100 while the fast path ignored the lock: then the holder could lose again
     * and again with 16 writers on one stream.)
     */
    private static final int APPEND_ATTEMPTS = 5;

    /** Released by {@link #close()}: more than there can ever be waiting threads. */
    private static final int CLOSED_PERMITS = Integer.MAX_VALUE / 2;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    /**
     * One permit per connection of the pool this store owns, taken before asking the pool: a
     * thread waiting in HikariCP is not woken when the pool closes and would sit out its whole
     * connection timeout, while a thread waiting here is released by {@link #close()}.
     */
    private final Semaphore connectionPermits;
    /**
     * Threads inside HikariCP's {@code getConnection}: a thread that took its permit just before
     * {@link #close()} would otherwise wait there for its whole connection timeout, since a closing
     * pool hands out nothing and wakes no one. {@link #close()} interrupts them.
     */
    private final Map<Thread, PoolWaiter> poolWaiters = new ConcurrentHashMap<>();
    private final String schema;
    private final String tablePrefix;
    private final Schema ddl;
    private final EventsTable events;
    private final PostgreSQLImporter importer;
    private final boolean readOnly;
    private final boolean rowLevelSecurity;
    /** The tenant every transaction is bound to; null for a store that binds none. */
    private final TenantId boundTenant;
    /** What {@link #boundTo} builds from. */
    private final Builder settings;
    /** Set once {@link #doInitialize()} has found the schema current and, in row-level-security mode, the tables under it. */
    private volatile boolean schemaChecked;
    /** For a bound store: whether the store it was bound from had checked the schema. */
    private final boolean checkedBeforeBinding;
    private final List<AutoCloseable> poolGauges;
    /** Wakes other processes' subscribers after appends commit (never inside the writing transaction). */
    private final CommitNotifier commitNotifier;

    /** A store on a {@link DataSource} you own, with the default registry, schema and prefix. */
    public PostgreSQLEventStore(DataSource dataSource) {
        this(builder(dataSource));
    }

    /** A store on a {@link DataSource} you own. */
    public PostgreSQLEventStore(DataSource dataSource, EventRegistry registry) {
        this(builder(dataSource).eventRegistry(registry));
    }

    /** A store that owns a connection pool to {@code jdbcUrl} (credentials may be URL parameters). */
    public PostgreSQLEventStore(String jdbcUrl) {
        this(builder(jdbcUrl));
    }

    /** A store that owns a connection pool to {@code jdbcUrl}. */
    public PostgreSQLEventStore(String jdbcUrl, EventRegistry registry) {
        this(builder(jdbcUrl).eventRegistry(registry));
    }

    private PostgreSQLEventStore(Builder b) {
        super(describe(b), TracingObserver.POSTGRESQL, null, b.schema + "." + b.tablePrefix + "events", b.registry, b.tracing,
                b.openTelemetry, b.observer);
        this.schema = b.schema;
        this.tablePrefix = b.tablePrefix;
        this.ddl = new Schema(schema, tablePrefix);
        this.rowLevelSecurity = b.rowLevelSecurity;
        this.boundTenant = b.boundTenant;
        this.settings = b.copyOn(b.dataSource);
        this.checkedBeforeBinding = b.schemaChecked;
        // Concurrent one-event appends share statements, at most a quarter of the pool's connections' worth in
        // flight (at least two): more leaders left each statement with fewer appends and measured slower.
        this.events = new EventsTable(schema, tablePrefix, rowLevelSecurity, Math.max(2, b.maxPoolSize / 4));
        this.importer = new PostgreSQLImporter(schema, tablePrefix);
        this.readOnly = b.readOnly;
        if (b.dataSource != null) {
            this.dataSource = b.dataSource;
            this.ownedPool = null;
            this.connectionPermits = null;
        } else {
            QuietLogging.withoutSlf4jProviderNotice();
            // The no-argument HikariDataSource starts its pool on first use, so building a store never connects.
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(b.jdbcUrl);
            pool.setDriverClassName("org.postgresql.Driver");
            if (b.user != null) {
                pool.setUsername(b.user);
                pool.setPassword(b.password);
            }
            pool.setMaximumPoolSize(b.maxPoolSize);
            pool.setPoolName("eventsource-postgresql");
            pool.setAutoCommit(true);
            this.dataSource = pool;
            this.ownedPool = pool;
            this.connectionPermits = new Semaphore(b.maxPoolSize);
        }
        this.poolGauges = ownedPool != null && openTelemetry() != null ? poolGauges(openTelemetry(), ownedPool) : List.of();
        String channel = EventsTable.channel(schema, tablePrefix);
        this.commitNotifier = new CommitNotifier(channel, () -> run("notify subscribers of appends", c -> {
            // Its own autocommit transaction, after the appends committed. Asynchronous commit: the
            // notification carries no data (the appends it announces are durable already), so it
            // need not wait for a WAL flush, and it holds the notification queue's lock only briefly.
            try (PreparedStatement s = c.prepareStatement(NOTIFY)) {
                s.setString(1, channel);
                s.execute();
            }
            return null;
        }), b.notificationInterval);
    }

    /**
     * The connection-pool instruments of the OpenTelemetry database client conventions, observed
     * from HikariCP's pool bean at each collection (nothing is reported before the pool starts).
     */
    private static List<AutoCloseable> poolGauges(OpenTelemetry openTelemetry, HikariDataSource pool) {
        Meter meter = openTelemetry.getMeter(TracingObserver.INSTRUMENTATION);
        AttributeKey<String> poolName = AttributeKey.stringKey("db.client.connection.pool.name");
        AttributeKey<String> state = AttributeKey.stringKey("db.client.connection.state");
        Attributes idle = Attributes.of(poolName, pool.getPoolName(), state, "idle");
        Attributes used = Attributes.of(poolName, pool.getPoolName(), state, "used");
        Attributes name = Attributes.of(poolName, pool.getPoolName());
        return List.of(
                meter.upDownCounterBuilder("db.client.connection.count").setUnit("{connection}")
                        .setDescription("Connections of the store's pool, by state").buildWithCallback(m -> {
                            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                            if (bean != null) {
                                m.record(bean.getIdleConnections(), idle);
                                m.record(bean.getActiveConnections(), used);
                            }
                        }),
                meter.upDownCounterBuilder("db.client.connection.max").setUnit("{connection}")
                        .setDescription("The most connections the store's pool opens")
                        .buildWithCallback(m -> m.record(pool.getMaximumPoolSize(), name)),
                meter.upDownCounterBuilder("db.client.connection.pending_requests").setUnit("{request}")
                        .setDescription("Threads waiting for a connection of the store's pool").buildWithCallback(m -> {
                            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                            if (bean != null) {
                                m.record(bean.getThreadsAwaitingConnection(), name);
                            }
                        }));
    }

    /** A builder for a store on a {@link DataSource} you own and close yourself. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /**
     * A builder for a store that owns a HikariCP pool to {@code jdbcUrl}.
     *
     * @throws IllegalArgumentException unless the URL starts with {@code jdbc:postgresql:}
     */
    public static Builder builder(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("PostgreSQL JDBC URL must start with jdbc:postgresql:, e.g."
                    + " \"jdbc:postgresql://localhost:5432/app\"; got " + (jdbcUrl == null ? "null" : "'" + EventStores.redact(jdbcUrl) + "'")
                    + ". For postgresql://user:pass@host/db URLs use EventStores.open(...).");
        }
        return new Builder(null, jdbcUrl);
    }

    /**
     * The DDL that {@link #initialize()} applies, as plain SQL for Flyway, Liquibase or a DBA:
     * creates the events table, its position sequence, the schema-version table (recording each
     * version), the two functions that keep the global order gap-safe, the snapshots table, and the
     * subscription checkpoint and dead-letter tables, and the tenant index (version 3 also created a
     * trigger that notified live subscriptions inside every writing transaction; version 5 drops it, as
     * the store now notifies after commit; version 6 rewrites the writer announcement in PL/pgSQL). The
     * schema itself must exist. The same text, with {@code ${schema}} and {@code ${prefix}} placeholders,
     * is the resources {@code dev/eventsource/postgresql/schema-v1.sql} to {@code schema-v6.sql} in this jar, applied in
     * that order. Row-level security is separate and opt-in: {@link #rowLevelSecuritySql}.
     *
     * @throws IllegalArgumentException if a name does not match {@code [a-z_][a-z0-9_]{0,40}}
     */
    public static String schemaSql(String schema, String tablePrefix) {
        return new Schema(schema, tablePrefix).ddl();
    }

    /**
     * The opt-in row-level-security DDL for a schema and prefix, as plain SQL (the resource
     * {@code dev/eventsource/postgresql/row-level-security.sql}): forced row-level security with a
     * tenant policy on the events and snapshots tables, and the {@code stream_head} function. Apply
     * it after {@link #schemaSql}, as the role that owns the tables, which must bypass row-level
     * security; see {@link Builder#rowLevelSecurity(boolean)}.
     *
     * @throws IllegalArgumentException if a name does not match {@code [a-z_][a-z0-9_]{0,40}}
     */
    public static String rowLevelSecuritySql(String schema, String tablePrefix) {
        return new Schema(schema, tablePrefix).rowLevelSecurityDdl();
    }

    /**
     * A store on the same tables and connections whose every transaction is bound to {@code tenant}
     * ({@link PostgreSQLTenantBinding}): PostgreSQL itself then shows it only that tenant's events
     * and snapshots, and refuses to store an event of another tenant (or of none). It checks no
     * stream owner itself: wrap it in a {@link dev.eventsource.tenant.TenantScopedEventStore} (as
     * {@link PostgreSQLBackend#forTenant(TenantId)} does) for the library's refusals, which name the
     * owner. Its {@link #globalPosition()} and {@link #eventExists(UUID)} answer for its tenant's rows;
     * it imports nothing. Closing it does nothing to this store or its pool.
     *
     * @throws IllegalStateException unless this store was built with {@link Builder#rowLevelSecurity(boolean) rowLevelSecurity(true)}
     */
    public PostgreSQLEventStore boundTo(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (!rowLevelSecurity) {
            throw new IllegalStateException(this + " was built without rowLevelSecurity(true), so a tenant binding would"
                    + " isolate nothing; build it with .rowLevelSecurity(true) on tables under row-level security.");
        }
        Builder b = settings.copyOn(dataSource);
        b.boundTenant = tenant;
        b.schemaChecked = schemaChecked;
        b.readOnly = readOnly;
        return new PostgreSQLEventStore(b);
    }

    /** The tenant this store binds every transaction to, if it is {@linkplain #boundTo bound}. */
    public java.util.Optional<TenantId> boundTenant() {
        return java.util.Optional.ofNullable(boundTenant);
    }

    /** Whether the store was built for tables under {@linkplain Builder#rowLevelSecurity(boolean) row-level security}. */
    public boolean isRowLevelSecurity() {
        return rowLevelSecurity;
    }

    /** The schema holding this store's tables. */
    public String schema() {
        return schema;
    }

    /** The prefix of this store's table names. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** The data source connections come from: yours, or the pool this store owns. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** True when this store created its pool and closes it in {@link #close()}. */
    public boolean ownsDataSource() {
        return ownedPool != null;
    }

    @Override
    protected void doInitialize() {
        boolean checkOnly = readOnly || boundTenant != null;
        if (boundTenant != null && checkedBeforeBinding) {
            // Bound stores are made per tenant, often per request: the store they came from checked the schema.
            schemaChecked = true;
            return;
        }
        run((checkOnly ? "check schema " : "initialize schema ") + schema + " (prefix '" + tablePrefix + "')", c -> {
            if (checkOnly) {
                ddl.requireCurrent(c);
            } else {
                ddl.migrate(c);
            }
            if (rowLevelSecurity) {
                if (checkOnly) {
                    ddl.requireRowLevelSecurity(c);
                } else {
                    ddl.applyRowLevelSecurity(c);
                }
            }
            schemaChecked = true;
            return null;
        }, e -> new StoreClosedException(toString()), false);
    }

    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> batch, ExpectedVersion expected) {
        return doAppend(stream, batch, expected, OwnerCheck.NONE);
    }

    /**
     * Checks the stream's owner in the append itself: the fast path's statement inserts only into a
     * new stream or one whose last event is the owner's, and the careful path checks under the
     * stream's lock (and throws the refusal).
     */
    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> batch, ExpectedVersion expected, OwnerCheck owner) {
        refuseIfReadOnly(() -> "appending to " + stream);
        AppendResult result = run("append to " + stream, c -> {
            try {
                return events.append(c, stream, batch, expected, owner, now(), APPEND_ATTEMPTS,
                        boundTenant == null ? null : conn -> PostgreSQLTenantBinding.bind(conn, boundTenant));
            } catch (SQLException e) {
                if (PgErrors.isUniqueViolation(e)) {
                    throw new TransientStoreException(this + ": append to " + stream + " kept colliding with other writers"
                            + " after " + APPEND_ATTEMPTS + " attempts. Nothing was written; retry.", e.getSQLState(), e);
                }
                throw e;
            }
        }, e -> new AppendOutcomeUnknownException(stream.aggregateType(), stream.aggregateId(),
                batch.stream().map(SerializedEvent::eventId).toList(), this + " was closed while the append was running", e),
                false);
        commitNotifier.appended();
        return result;
    }

    /** With aggregate queries in PostgreSQL when the filter has no position or time bounds; see {@link Summaries}. */
    @Override
    public StreamPage listStreams(ReadOptions filter, long offset, int limit) {
        RecordedEventReader.requireSummaryFilter(filter, offset, limit);
        if (!Summaries.serves(filter)) {
            return super.listStreams(filter, offset, limit);
        }
        ready();
        return run("list streams", c -> new Summaries(events).listStreams(c, filter, offset, limit));
    }

    /** With aggregate queries in PostgreSQL when the filter has no position or time bounds; see {@link Summaries}. */
    @Override
    public LogStatistics statistics(ReadOptions filter) {
        RecordedEventReader.requireSummaryFilter(filter, 0, 1);
        if (!Summaries.serves(filter)) {
            return super.statistics(filter);
        }
        ready();
        return run("count events", c -> new Summaries(events).statistics(c, filter));
    }

    @Override
    protected RecordedStream doReadStream(StreamId stream, long afterVersion) {
        return run("read stream " + stream, c -> events.readStream(c, stream, afterVersion));
    }

    /** A tenant and nothing else: the one filter with a {@code (column, global_position)} index here. */
    @Override
    protected boolean walksAnIndex(ReadOptions options) {
        return selectsOnlyATenant(options);
    }

    @Override
    protected RecordedPage doReadPage(ReadOptions options, long cursor, int max) {
        return run("read the global log", c -> {
            if (options.direction() == ReadDirection.BACKWARD) {
                return backwardPage(events.readPage(c, options, cursor, 0, max), max, cursor);
            }
            // Never past the readable position: a transaction in flight may still commit below the head.
            long head = events.readablePosition(c);
            long bound = scanBound(options, cursor, head);
            return forwardPage(events.readPage(c, options, cursor, bound, max), max, cursor, bound, head);
        });
    }

    @Override
    protected long doStreamVersion(StreamId stream) {
        return run("read the version of " + stream, c -> events.streamVersion(c, stream));
    }

    @Override
    protected StreamHead doStreamHead(StreamId stream) {
        return run("read the head of " + stream, c -> events.streamHead(c, stream));
    }

    @Override
    protected boolean doEventExists(UUID eventId) {
        return run("look up event " + eventId, c -> events.eventExists(c, eventId));
    }

    @Override
    protected long doGlobalPosition() {
        return run("read the global position", events::globalPosition);
    }

    /**
     * Imports rows stored elsewhere (a migration, an export) under the {@link EventImporter}
     * contract, one transaction per batch. Imports lock streams and announce themselves like
     * appends, so they run beside appends and a checkpointing reader never skips an imported row.
     */
    @Override
    public ImportResult importRecorded(List<RecordedEvent> batch) {
        ready();
        refuseIfReadOnly(() -> "importing events");
        if (boundTenant != null) {
            throw new IllegalStateException(this + " is bound to one tenant and imports nothing: import through the"
                    + " unbound store of a role that bypasses row-level security.");
        }
        ImportResult result = run("import a batch of events", c -> importer.importRecorded(c, batch), e -> new ImportOutcomeUnknownException(
                this + " was closed while importing a batch of " + batch.size() + " events; the batch may or may not have"
                + " been stored. Import it again into a new store: events already stored are recognised by their ids and"
                + " skipped.", batch.stream().map(RecordedEvent::eventId).toList(), e));
        commitNotifier.appended();
        return result;
    }

    /**
     * The stored rows among {@code eventIds}, in one statement (an index lookup per id); see
     * {@link EventImporter#storedEvents}. A store bound to one tenant refuses, as it refuses imports.
     */
    @Override
    public Map<UUID, RecordedEvent> storedEvents(Collection<UUID> eventIds) {
        EventImporter.requireLookup(eventIds);
        ready();
        if (boundTenant != null) {
            throw new IllegalStateException(this + " is bound to one tenant and imports nothing: look up and import through"
                    + " the unbound store of a role that bypasses row-level security.");
        }
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = List.copyOf(eventIds);
        return run("look up " + ids.size() + " event ids", c -> importer.stored(c, ids));
    }

    /**
     * How many {@code NOTIFY}s this store has sent to wake subscribers in other processes, and how
     * many sends failed. One notification covers every append that committed within the
     * {@linkplain Builder#notificationInterval notification interval} after the previous one
     * started, so under load it is far fewer than the appends; a failed send only delays
     * other processes' subscribers until their next poll. For monitoring and tests.
     */
    public NotificationCounts notifications() {
        return new NotificationCounts(commitNotifier.sent(), commitNotifier.failed());
    }

    /**
     * Counts of the wake-up notifications a store has sent after its appends committed.
     *
     * @param sent   notifications sent (each may announce many appends)
     * @param failed sends that failed (the database or the pool refused them); never appends that failed
     */
    public record NotificationCounts(long sent, long failed) {
    }

    /** Whether the store was built {@linkplain Builder#readOnly(boolean) read-only}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    private void refuseIfReadOnly(Supplier<String> action) {
        if (readOnly) {
            throw new ReadOnlyStoreException(toString(), action.get());
        }
    }

    @Override
    protected void doClose() {
        commitNotifier.close();
        for (AutoCloseable gauge : poolGauges) {
            try {
                gauge.close();
            } catch (Exception ignored) {
                // Unregistering a callback cannot fail in a way that matters to closing the store.
            }
        }
        if (ownedPool != null) {
            // Wakes every thread waiting for a connection; each sees the store closed and takes nothing.
            connectionPermits.release(CLOSED_PERMITS);
            poolWaiters.values().forEach(PoolWaiter::wake);
            ownedPool.close();
        }
    }

    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs work on a pooled connection in autocommit mode and translates what goes wrong, once;
     * the shared snapshot, checkpoint and dead-letter stores work through it too ({@link PostgreSQLAccess}). Work that {@link #close()} cuts short
     * throws {@link StoreClosedException}: use it only for work that writes nothing, or whose
     * outcome does not matter.
     */
    <T> T run(String action, SqlWork<T> work) {
        return run(action, work, e -> new StoreClosedException(toString()));
    }

    /**
     * Like {@link #run(String, SqlWork)}; {@code cutShort} makes the exception for work that
     * {@link #close()} interrupted after it reached the database (the pool aborts connections in
     * use), whose effect is therefore unknown.
     */
    private <T> T run(String action, SqlWork<T> work, Function<SQLException, EventSourceException> cutShort) {
        return run(action, work, cutShort, true);
    }

    /**
     * Like {@link #run(String, SqlWork, Function)}; with {@code bind}, a {@linkplain #boundTo bound}
     * store runs the work in a transaction bound to its tenant (work that manages its own transactions
     * passes false and binds them itself).
     */
    private <T> T run(String action, SqlWork<T> work, Function<SQLException, EventSourceException> cutShort, boolean bind) {
        Connection c = connect(action);
        boolean resetAutoCommit = false;
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
                resetAutoCommit = true;
            }
            return bind && boundTenant != null ? inTenantTransaction(c, work) : work.run(c);
        } catch (SQLException e) {
            if (isClosed()) {
                throw cutShort.apply(e);
            }
            throw PgErrors.translate(toString(), action, e);
        } finally {
            release(c, resetAutoCommit);
        }
    }

    private <T> T inTenantTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            PostgreSQLTenantBinding.bind(c, boundTenant);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * A pooled connection, waiting at most the pool's connection timeout; nothing has been sent to
     * the database if this throws. An interrupt ends the wait with {@link EventStoreInterruptedException}
     * and the thread's interrupt flag still set.
     */
    private Connection connect(String action) {
        if (connectionPermits != null) {
            takePermit(action);
        }
        PoolWaiter waiter = ownedPool == null ? null : new PoolWaiter(Thread.currentThread());
        try {
            ensureOpen();
            if (waiter == null) {
                return dataSource.getConnection();
            }
            poolWaiters.put(waiter.thread, waiter);
            try {
                // Closed in between: close() may have woken the waiters before this one was listed.
                ensureOpen();
                return dataSource.getConnection();
            } finally {
                poolWaiters.remove(waiter.thread);
                waiter.leave();
            }
        } catch (SQLException e) {
            giveBackPermit();
            // A closed pool refuses connections: the store being closed, not a database failure.
            ensureOpen();
            if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                throw interrupted(action, e);
            }
            throw PgErrors.translate(toString(), action, e);
        } catch (HikariPool.PoolInitializationException e) {
            giveBackPermit();
            // The pool this store owns starts on first use and reports a failed first connection this way.
            if (e.getCause() instanceof SQLException cause) {
                throw PgErrors.translate(toString(), action, cause);
            }
            throw new TransientStoreException(this + ": " + action + " failed: " + e.getMessage(), null, e);
        } catch (RuntimeException e) {
            giveBackPermit();
            throw e;
        }
    }

    private void takePermit(String action) {
        long timeout = ownedPool.getConnectionTimeout();
        try {
            if (!connectionPermits.tryAcquire(timeout, TimeUnit.MILLISECONDS)) {
                throw new TransientStoreException(this + ": " + action + " failed: no pooled connection became free"
                        + " within the connection timeout of " + timeout + " ms. Nothing was written; retry, or give the"
                        + " pool more connections (maxPoolSize).", null, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(action, e);
        }
    }

    /** A thread waiting in the pool; {@link #wake} interrupts it only while it still waits, {@link #leave} clears that interrupt. */
    private static final class PoolWaiter {
        final Thread thread;
        private boolean waiting = true;
        private boolean woken;

        PoolWaiter(Thread thread) {
            this.thread = thread;
        }

        synchronized void wake() {
            if (waiting) {
                woken = true;
                thread.interrupt();
            }
        }

        /** Called by the waiting thread itself once it has left the pool. */
        synchronized void leave() {
            waiting = false;
            if (woken) {
                // The interrupt was the store's, not the caller's: the thread carries on without it.
                Thread.interrupted();
            }
        }
    }

    private void giveBackPermit() {
        if (connectionPermits != null) {
            connectionPermits.release();
        }
    }

    private EventStoreInterruptedException interrupted(String action, Exception cause) {
        return new EventStoreInterruptedException(this + ": " + action + " was interrupted while waiting for a pooled"
                + " connection; nothing was written.", cause);
    }

    /** Gives a connection back; the work is done, so a connection that cannot be reset is the pool's to discard. */
    private void release(Connection c, boolean resetAutoCommit) {
        try {
            if (resetAutoCommit) {
                c.setAutoCommit(false);
            }
        } catch (SQLException ignored) {
            // The pool resets or evicts a connection it gets back in a bad state.
        } finally {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Same: closing a pooled connection only returns it; the pool copes with a broken one.
            } finally {
                giveBackPermit();
            }
        }
    }

    private static String describe(Builder b) {
        String where = b.dataSource != null ? "DataSource " + b.dataSource.getClass().getSimpleName() : EventStores.redact(b.jdbcUrl);
        return "PostgreSQLEventStore(" + where + ", schema " + b.schema + ", prefix '" + b.tablePrefix + "'"
                + (b.boundTenant != null ? ", bound to tenant '" + b.boundTenant.value() + "'" : "") + ")";
    }

    /**
     * Builds a {@link PostgreSQLEventStore}. Every setter validates its argument at once.
     * {@link #credentials} and {@link #maxPoolSize} apply only to stores built from a URL; set them on
     * your own pool otherwise.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private final String jdbcUrl;
        private EventRegistry registry = EventRegistry.defaultRegistry();
        private boolean tracing = true;
        private OpenTelemetry openTelemetry;
        private StoreObserver observer = StoreObserver.NONE;
        private String schema = DEFAULT_SCHEMA;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private String user;
        private String password;
        private int maxPoolSize = 10;
        private boolean readOnly;
        private boolean rowLevelSecurity;
        private Duration notificationInterval = CommitNotifier.DEFAULT_MIN_INTERVAL;
        private TenantId boundTenant;
        private boolean schemaChecked;

        private Builder(DataSource dataSource, String jdbcUrl) {
            this.dataSource = dataSource;
            this.jdbcUrl = jdbcUrl;
        }

        /** These settings for a store on {@code on}, which it does not own (a null {@code on} keeps the URL). */
        private Builder copyOn(DataSource on) {
            Builder b = new Builder(on, on == null ? jdbcUrl : null);
            b.registry = registry;
            b.tracing = tracing;
            b.openTelemetry = openTelemetry;
            b.observer = observer;
            b.schema = schema;
            b.tablePrefix = tablePrefix;
            b.user = user;
            b.password = password;
            b.maxPoolSize = maxPoolSize;
            b.readOnly = readOnly;
            b.rowLevelSecurity = rowLevelSecurity;
            b.notificationInterval = notificationInterval;
            return b;
        }

        /** The registry events are looked up in; the default registry if not set. */
        public Builder eventRegistry(EventRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Whether to emit OpenTelemetry spans (no-op without an SDK); default true. */
        public Builder tracing(boolean tracing) {
            this.tracing = tracing;
            return this;
        }

        /** Where spans go when tracing is on; {@link GlobalOpenTelemetry} unless set. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** Watches appends and reads (metrics, audit); see {@link StoreObserver}. None unless set. */
        public Builder observer(StoreObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * The schema holding the tables, created by {@link #initialize()} if missing; default {@code public}.
         *
         * @throws IllegalArgumentException unless it matches {@code [a-z_][a-z0-9_]{0,40}}
         */
        public Builder schema(String schema) {
            this.schema = SqlNames.schema(schema);
            return this;
        }

        /**
         * The prefix of the table names; default {@code eventsource_}, may be empty.
         *
         * @throws IllegalArgumentException unless it is empty or matches {@code [a-z_][a-z0-9_]{0,40}}
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = SqlNames.tablePrefix(tablePrefix);
            return this;
        }

        /**
         * The user and password for the pool this store creates.
         *
         * @throws IllegalStateException for a store on your own {@link DataSource}
         */
        public Builder credentials(String user, String password) {
            requireUrl("credentials");
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("user must be non-blank");
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * The most connections the pool this store creates may open; default 10.
         *
         * @throws IllegalStateException for a store on your own {@link DataSource}
         */
        public Builder maxPoolSize(int maxPoolSize) {
            requireUrl("maxPoolSize");
            if (maxPoolSize < 1) {
                throw new IllegalArgumentException("maxPoolSize must be >= 1; got " + maxPoolSize);
            }
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /**
         * Read-only (default off): for tools that inspect a store and must not change the
         * database. {@link #initialize()} creates and upgrades nothing; it refuses a schema and
         * prefix that hold no event store tables, or tables of an older or newer version, naming
         * them; appends and imports throw {@link ReadOnlyStoreException}. Give the database user
         * only {@code SELECT} rights to have the server enforce the same.
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Row-level-security mode (default off), for tables where PostgreSQL itself keeps tenants
         * apart: {@link #initialize()} puts the events and snapshots tables under forced row-level
         * security with a tenant policy ({@link #rowLevelSecuritySql}) if they are not yet, which
         * needs a role that owns them and bypasses row-level security, and otherwise only checks that
         * they are (refusing with {@link dev.eventsource.store.StoreNotInitializedException} if not).
         * Connect application stores as a role without {@code BYPASSRLS} and reach a tenant's data
         * through {@link PostgreSQLEventStore#boundTo(TenantId)} or {@link PostgreSQLBackend#forTenant(TenantId)};
         * unbound, such a role sees no event. Operators, relays and all-tenant projections use a
         * store connected as a role with {@code BYPASSRLS}. See {@code docs/tenancy.md}.
         */
        public Builder rowLevelSecurity(boolean rowLevelSecurity) {
            this.rowLevelSecurity = rowLevelSecurity;
            return this;
        }

        /**
         * The least time between two wake-up {@code NOTIFY}s this store sends to subscribers in other
         * processes (default 10 ms). The first append after a quiet spell is announced at once; appends
         * within the interval of the previous notification share the next one, so a wake-up is at most
         * this late. Each notification is a transaction of its own on the database (it takes a
         * transaction id and writes a commit record), so under steady appends a store sends one per
         * interval: 100 a second at the default, per store. Shorten it for quicker wake-ups at that
         * cost; lengthen it to spare a busy database. Subscribers in this process are woken directly
         * and do not wait for it; a subscriber never waits longer than its own poll interval.
         *
         * @throws IllegalArgumentException if {@code interval} is negative or longer than 1 s
         */
        public Builder notificationInterval(Duration interval) {
            Objects.requireNonNull(interval, "notificationInterval");
            if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("notificationInterval must be between 0 and 1000 ms (a later wake-up would"
                        + " rarely come before a subscriber's own poll); got " + interval.toMillis() + " ms");
            }
            this.notificationInterval = interval;
            return this;
        }

        public PostgreSQLEventStore build() {
            return new PostgreSQLEventStore(this);
        }

        private void requireUrl(String option) {
            if (dataSource != null) {
                throw new IllegalStateException(option + " applies only to a store built from a JDBC URL, which owns its"
                        + " pool; configure it on your DataSource instead");
            }
        }
    }
}
