package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.internal.BusyWait;
import dev.eventsource.sqlite.internal.Connections;
import dev.eventsource.sqlite.internal.EventQueries;
import dev.eventsource.jdbc.SqlNames;
import dev.eventsource.sqlite.internal.SQLiteDialect;
import dev.eventsource.sqlite.internal.GroupCommitter;
import dev.eventsource.store.spi.OwnerCheck;
import dev.eventsource.sqlite.internal.SQLiteErrors;
import dev.eventsource.sqlite.internal.SQLiteImporter;
import dev.eventsource.sqlite.internal.Schema;
import dev.eventsource.sqlite.internal.Summaries;
import dev.eventsource.store.LogStatistics;
import dev.eventsource.store.RecordedEventReader;
import dev.eventsource.store.StreamPage;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOnlyStoreException;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreObserver;
import dev.eventsource.store.TracingObserver;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An event store in a SQLite database: a file, or {@code ":memory:"} for tests. The embedded
 * default: no server, one file you can copy, back up and inspect with {@code sqlite3} (payloads
 * and metadata are JSON text, so SQLite's JSON functions work on them).
 *
 * <pre>{@code
 * try (SQLiteEventStore store = new SQLiteEventStore("./events.db")) {
 *     store.initialize();
 *     store.appendEvents(id, "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Nothing is opened by the constructor. {@link #initialize()} (or the first
 * use) opens the database and creates or upgrades its schema; it is idempotent and safe when
 * several processes call it on one file at the same moment. A {@code ":memory:"} database
 * belongs to its store alone (two stores never share data) and is gone when the store is closed.
 *
 * <p><b>Writers.</b> SQLite allows one writer at a time. Within the process, appends from many
 * threads are committed together in one transaction (group commit), each still checked against
 * its own expected version and failing or succeeding on its own; {@link #groupCommitStats()}
 * shows the grouping. Across processes the store waits up to {@link #busyTimeout()} for the
 * write lock and then throws {@link EventStoreBusyException}; nothing is written in that case.
 * Reads of a file database use their own connections and, in WAL mode, run while a write is in
 * progress. The store is thread-safe and holds no monitor during I/O.
 *
 * <p><b>Refusals.</b> The builder refuses a blank database, SQLite URIs ({@code file:...} or
 * {@code ?} parameters: give a plain path), store URLs ({@code jdbc:sqlite:...}: give the path, or
 * use {@code EventStores.open}), every name starting with {@code ':'} except {@code ":memory:"}
 * (the driver reads {@code :resource:...} as "download a temporary copy", so writes would vanish)
 * and a negative busy timeout. A file that is not a SQLite database or is corrupt raises an
 * {@link dev.eventsource.store.IncompatibleStoreException}; a read-only file or folder, a full disk
 * or a missing folder a {@link StoreUnavailableException} with its reason; a locked database an
 * {@link EventStoreBusyException}. Each names the database and the cause; what was stored before is
 * never altered. Driver exceptions never escape raw (see {@code docs/semantics.md}, "Errors").
 */
public final class SQLiteEventStore extends AbstractEventStore implements EventImporter, StorageCheck {

    /** The special database name for a private in-memory database. */
    public static final String MEMORY = ":memory:";

    /** How long an append waits for another process's write lock unless configured otherwise. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** No prefix: the tables are {@code events}, {@code snapshots}, ... as in every store before prefixes existed. */
    public static final String DEFAULT_TABLE_PREFIX = "";

    private final String database;
    private final Duration busyTimeout;
    private final Synchronous synchronous;
    private final boolean walRequested;
    private final boolean readOnly;
    private final Connections connections;
    private final SQLiteErrors errors;
    private final BusyWait busyWait;
    private final GroupCommitter writer;
    private final String tablePrefix;
    private final EventQueries queries;

    private final Summaries summaries;
    private final SQLiteDialect dialect;
    private final Schema schema;

    /** A store with the default settings and {@link EventRegistry#defaultRegistry()}. */
    public SQLiteEventStore(String database) {
        this(builder(database));
    }

    /** A store with the default settings that looks events up in {@code registry}. */
    public SQLiteEventStore(String database, EventRegistry registry) {
        this(builder(database).eventRegistry(registry));
    }

    private SQLiteEventStore(Builder builder) {
        super("SQLiteEventStore(" + builder.database + ")", TracingObserver.SQLITE, builder.database,
                builder.tablePrefix + "events", builder.registry, builder.tracing, builder.openTelemetry, builder.observer);
        this.database = builder.database;
        this.busyTimeout = builder.busyTimeout;
        this.synchronous = builder.synchronous;
        this.walRequested = builder.walMode && !builder.database.equals(MEMORY);
        this.readOnly = builder.readOnly;
        this.connections = new Connections(database, toString(), walRequested, readOnly, busyTimeout, synchronous.name(),
                builder.driverProperties);
        this.errors = new SQLiteErrors(database, busyTimeout);
        this.busyWait = new BusyWait(busyTimeout);
        this.tablePrefix = builder.tablePrefix;
        this.queries = new EventQueries(tablePrefix);
        this.summaries = new Summaries(queries);
        this.dialect = new SQLiteDialect(tablePrefix);
        this.schema = new Schema(database, tablePrefix);
        this.writer = new GroupCommitter(connections, errors, busyWait, busyTimeout, this::now, queries);
        if (metrics() != null) {
            writer.onCommit(metrics()::recordGroupCommit);
        }
    }

    /**
     * A builder for a store on {@code database}: a file path (created if absent; its folder must
     * exist) or {@code ":memory:"}.
     *
     * @throws IllegalArgumentException if {@code database} is blank, a SQLite URI, a store URL, or a
     *                                  driver pseudo-name starting with {@code ':'} other than {@code ":memory:"}
     */
    public static Builder builder(String database) {
        return new Builder(database);
    }

    /** The database as given: a path or {@code ":memory:"}. */
    public String database() {
        return database;
    }

    /** The prefix of this store's table names; empty (the default) for {@code events}, {@code snapshots}, ... */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** How the sibling stores write SQL for this store's tables. */
    SQLiteDialect dialect() {
        return dialect;
    }

    /**
     * Whether the database runs in WAL mode: once connected, the mode actually in effect; before,
     * the mode that will be requested. Always false for {@code ":memory:"}, where WAL does not apply.
     */
    public boolean walMode() {
        return connections.isOpen() ? connections.walInEffect() : walRequested;
    }

    /** How long a write waits for another connection's lock before {@link EventStoreBusyException}. */
    public Duration busyTimeout() {
        return busyTimeout;
    }

    /** The durability level of commits. */
    public Synchronous synchronous() {
        return synchronous;
    }

    /** Whether the store was built {@linkplain Builder#readOnly(boolean) read-only}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** True between the first {@link #initialize()} (or use) and {@link #close()}. */
    public boolean isConnected() {
        return connections.isOpen();
    }

    /** Appends and commits so far, to see how many appends each commit carried. */
    public GroupCommitStats groupCommitStats() {
        return new GroupCommitStats(writer.commits(), writer.appends(), writer.events());
    }

    /**
     * Deletes a database file and its companions ({@code -wal}, {@code -shm} and {@code -journal});
     * absent files are ignored. Close every store on the file first: SQLite cannot notice that its
     * files were removed underneath it.
     *
     * @throws IllegalArgumentException for {@code ":memory:"}, which has no files (close the store
     *                                  instead), and for a directory
     * @throws StoreUnavailableException naming the file that could not be deleted ({@code IO_ERROR})
     */
    public static void deleteDatabase(Path path) {
        Objects.requireNonNull(path, "path");
        if (path.toString().equals(MEMORY)) {
            throw new IllegalArgumentException("\":memory:\" has no files to delete; an in-memory database is gone"
                    + " when its store is closed");
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is a directory, not a SQLite database file; nothing was deleted");
        }
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Path file = path.resolveSibling(path.getFileName() + suffix);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new StoreUnavailableException(StoreUnavailableException.Reason.IO_ERROR, "Cannot delete SQLite"
                        + " database file " + file + ": " + e + ". Check the permissions of the file and its folder, and"
                        + " that no other process holds it open.", e);
            }
        }
    }

    /**
     * The DDL that {@link #initialize()} applies, as one SQL script for a DBA or a migration tool:
     * the events table and its indexes, the snapshots table, the subscription checkpoint and
     * dead-letter tables, and the schema-version table with
     * every version recorded, so a store opened on a database created from it leaves it alone.
     * Run it in one transaction on an empty database. Tables have no prefix.
     */
    public static String schemaSql() {
        return schemaSql(DEFAULT_TABLE_PREFIX);
    }

    /**
     * {@link #schemaSql()} for a store with the table prefix {@code tablePrefix}.
     *
     * @throws IllegalArgumentException as {@link Builder#tablePrefix(String)} does
     */
    public static String schemaSql(String tablePrefix) {
        return new Schema(MEMORY, SqlNames.tablePrefix(tablePrefix)).script();
    }

    @Override
    protected void doInitialize() {
        if (readOnly && !Files.isRegularFile(Path.of(database))) {
            throw new StoreUnavailableException(StoreUnavailableException.Reason.DATABASE_MISSING, "No SQLite database file"
                    + " at " + Path.of(database).toAbsolutePath().normalize() + "; a read-only store opens an existing"
                    + " event store and creates nothing. Check the path.", null);
        }
        try {
            connections.open();
            if (readOnly) {
                connections.read(c -> {
                    schema.requireCurrent(c);
                    return null;
                });
                return;
            }
            ReentrantLock lock = connections.writeLock();
            lock.lock();
            try {
                busyWait.installOn(connections.writer());
                schema.migrate(connections.writer());
            } finally {
                lock.unlock();
            }
        } catch (SQLException e) {
            throw errors.translate(e, "opening the database and creating its schema");
        }
    }

    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected) {
        refuseIfReadOnly("appending to " + stream);
        return writer.append(stream, events, expected);
    }

    /** Checks the stream's owner inside the write transaction, where the append reads the stream's head. */
    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected, OwnerCheck owner) {
        refuseIfReadOnly("appending to " + stream);
        return writer.append(stream, events, expected, owner);
    }

    @Override
    protected RecordedStream doReadStream(StreamId stream, long afterVersion) {
        return read("reading " + stream, c -> {
            while (true) {
                List<RecordedEvent> rows = new ArrayList<>();
                try (PreparedStatement query = c.prepareStatement(queries.readStream)) {
                    EventQueries.bindStream(query, 1, stream);
                    query.setLong(3, afterVersion);
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            rows.add(EventQueries.streamRow(rs, stream));
                        }
                    }
                }
                if (!rows.isEmpty()) {
                    return new RecordedStream(rows, rows.get(rows.size() - 1).version());
                }
                long version = streamVersion(c, stream);
                if (version <= afterVersion) {
                    return new RecordedStream(List.of(), version);
                }
                // An append landed between the two statements; read again so events and version agree.
            }
        });
    }

    /** A tenant and nothing else: the one filter with a {@code (column, global_position)} index here. */
    @Override
    protected boolean walksAnIndex(ReadOptions options) {
        return selectsOnlyATenant(options);
    }

    @Override
    protected RecordedPage doReadPage(ReadOptions options, long cursor, int max) {
        boolean forward = options.direction() == ReadDirection.FORWARD;
        return read("reading the event log", c -> {
            // One writer commits positions in order, so every position up to the committed head is there to read.
            long head = forward ? globalPosition(c) : 0;
            long bound = forward ? scanBound(options, cursor, head) : 0;
            List<RecordedEvent> rows = new ArrayList<>(Math.min(max, 1024));
            if (!forward || bound > cursor) {
                EventQueries.PageQuery page = queries.page(options, cursor, bound, max);
                try (PreparedStatement query = page.bind(c.prepareStatement(page.sql()));
                     ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rows.add(EventQueries.row(rs));
                    }
                }
            }
            return forward ? forwardPage(rows, max, cursor, bound, head) : backwardPage(rows, max, cursor);
        });
    }

    @Override
    protected long doStreamVersion(StreamId stream) {
        return read("reading the version of " + stream, c -> streamVersion(c, stream));
    }

    @Override
    protected StreamHead doStreamHead(StreamId stream) {
        return read("reading the head of " + stream, c -> {
            try (PreparedStatement query = c.prepareStatement(queries.streamHead)) {
                EventQueries.bindStream(query, 1, stream);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? new StreamHead(rs.getLong(1), rs.getString(2)) : StreamHead.NONE;
                }
            }
        });
    }

    @Override
    protected boolean doEventExists(UUID eventId) {
        return read("looking up event " + eventId, c -> {
            try (PreparedStatement query = c.prepareStatement(queries.eventExists)) {
                query.setBytes(1, EventQueries.bytes(eventId));
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    protected long doGlobalPosition() {
        return read("reading the global position", this::globalPosition);
    }

    private long globalPosition(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(queries.globalPosition);
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Imports rows stored elsewhere (a migration, an export) under the {@link EventImporter}
     * contract: each batch in one transaction that never interleaves with appends, positions
     * assigned in batch order.
     */
    @Override
    public ImportResult importRecorded(List<RecordedEvent> batch) {
        ready();
        refuseIfReadOnly("importing events");
        return new SQLiteImporter(connections, errors, queries).importRecorded(batch);
    }

    /** The stored rows among {@code eventIds}, read with one indexed {@code IN} query per 500 ids; see {@link EventImporter#storedEvents}. */
    @Override
    public Map<UUID, RecordedEvent> storedEvents(Collection<UUID> eventIds) {
        EventImporter.requireLookup(eventIds);
        ready();
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = List.copyOf(eventIds);
        return read("looking up " + ids.size() + " event ids", c -> SQLiteImporter.stored(c, queries, ids));
    }

    /** With aggregate queries inside SQLite when the filter has no position or time bounds; see {@link Summaries}. */
    @Override
    public StreamPage listStreams(ReadOptions filter, long offset, int limit) {
        RecordedEventReader.requireSummaryFilter(filter, offset, limit);
        if (!Summaries.serves(filter)) {
            return super.listStreams(filter, offset, limit);
        }
        ready();
        return read("listing streams", c -> summaries.listStreams(c, filter, offset, limit));
    }

    /** With aggregate queries inside SQLite when the filter has no position or time bounds; see {@link Summaries}. */
    @Override
    public LogStatistics statistics(ReadOptions filter) {
        RecordedEventReader.requireSummaryFilter(filter, 0, 1);
        if (!Summaries.serves(filter)) {
            return super.statistics(filter);
        }
        ready();
        return read("counting events", c -> summaries.statistics(c, filter));
    }

    /**
     * SQLite's own check: {@code PRAGMA quick_check} (pages and b-trees, linear in the database
     * size), or with {@code full} {@code PRAGMA integrity_check}, which also checks that every index
     * matches its table; then, since SQLite stores any value in any column, event rows whose
     * columns hold values of the wrong type or none (e.g. a time written as text, which would read
     * as 1970). Lists at most 100 problems of each kind. Works on a read-only store.
     */
    @Override
    public List<String> checkStorage(boolean full) {
        ready();
        String pragma = full ? "integrity_check" : "quick_check";
        return read("running PRAGMA " + pragma, c -> {
            List<String> problems = new ArrayList<>();
            try (var sql = c.createStatement()) {
                try (ResultSet rs = sql.executeQuery("PRAGMA " + pragma)) {
                    while (rs.next()) {
                        String line = rs.getString(1);
                        if (!"ok".equals(line)) {
                            problems.add(line);
                        }
                    }
                }
                if (problems.isEmpty()) {
                    try (ResultSet rs = sql.executeQuery(queries.mistypedRows)) {
                        while (rs.next()) {
                            problems.add("events row at global position " + rs.getLong(1) + " holds a value of the wrong"
                                    + " type or none in " + rs.getString(2));
                        }
                    }
                }
            }
            return problems;
        });
    }

    @Override
    protected void doClose() {
        connections.close();
    }

    /** The value of {@code PRAGMA name} on the writer connection, for tests of the configuration. */
    String writerPragma(String name) {
        ReentrantLock lock = connections.writeLock();
        lock.lock();
        try (var sql = connections.writer().createStatement(); ResultSet rs = sql.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw errors.translate(e, "reading PRAGMA " + name);
        } finally {
            lock.unlock();
        }
    }

    /** Appends waiting for a leader, for tests that build a group on purpose. */
    int queuedAppends() {
        return writer.queued();
    }

    /** Whether some thread is writing (holds the write lock), for tests that build a group on purpose. */
    boolean isWriting() {
        return connections.writeLock().isLocked();
    }

    /** Runs read-only work on a reader connection, translating driver errors; for the shared stores ({@link SQLiteAccess}) too. */
    <T> T read(String action, Connections.SqlWork<T> work) {
        try {
            return connections.read(work);
        } catch (SQLException e) {
            throw errors.translate(e, action);
        }
    }

    /**
     * Runs one autocommit write on the writer connection under the write lock, so that within the
     * process it waits its turn behind appends instead of contending for SQLite's lock.
     */
    <T> T write(String action, Connections.SqlWork<T> work) {
        refuseIfReadOnly(action);
        ReentrantLock lock = connections.writeLock();
        lock.lock();
        try {
            return work.run(connections.writer());
        } catch (SQLException e) {
            throw errors.translate(e, action);
        } finally {
            lock.unlock();
        }
    }

    private void refuseIfReadOnly(String action) {
        if (readOnly) {
            throw new ReadOnlyStoreException(toString(), action);
        }
    }

    private long streamVersion(Connection c, StreamId stream) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(queries.streamVersion)) {
            EventQueries.bindStream(query, 1, stream);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Configures a {@link SQLiteEventStore}. Every setter validates its argument at once.
     * Defaults: the default registry, WAL on, busy timeout 5 s, {@link Synchronous#FULL}, tracing on.
     */
    public static final class Builder {
        private final String database;
        private EventRegistry registry = EventRegistry.defaultRegistry();
        private boolean walMode = true;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private Synchronous synchronous = Synchronous.FULL;
        private boolean tracing = true;
        private OpenTelemetry openTelemetry;
        private StoreObserver observer = StoreObserver.NONE;
        private boolean readOnly;
        private final Properties driverProperties = new Properties();
        private String tablePrefix = DEFAULT_TABLE_PREFIX;

        private Builder(String database) {
            if (database == null || database.isBlank()) {
                throw new IllegalArgumentException("database must be a file path such as \"./events.db\" or \":memory:\"; got "
                        + (database == null ? "null" : "'" + database + "'"));
            }
            if (database.startsWith("file:") || database.contains("?")) {
                throw new IllegalArgumentException("database must be a plain file path or \":memory:\", not a SQLite URI;"
                        + " got '" + database + "'. Configure WAL, busy timeout and durability on this builder instead.");
            }
            // The driver reads other names starting with ':' as instructions, e.g. ':resource:http://...' downloads
            // a throw-away copy for every connection, so writes would vanish and the store would make network requests.
            if (database.startsWith(":") && !database.equals(MEMORY)) {
                throw new IllegalArgumentException("database '" + database + "' is not a file path: SQLite names starting"
                        + " with ':' are driver instructions, and the only one a store accepts is \":memory:\". Give the"
                        + " path of a local database file, e.g. \"./events.db\".");
            }
            for (String scheme : List.of("jdbc:sqlite:", "sqlite:")) {
                if (database.startsWith(scheme)) {
                    throw new IllegalArgumentException("database must be a file path, not a store URL; got '" + database
                            + "'. Pass the path alone (\"" + database.substring(scheme.length()) + "\") or open the URL with"
                            + " EventStores.open(\"" + database + "\").");
                }
            }
            this.database = database;
        }

        /** The database this builder is for: a file path or {@code ":memory:"}. */
        public String database() {
            return database;
        }

        /** The registry events are looked up in. */
        public Builder eventRegistry(EventRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Write-ahead logging (default on): reads run while a write is in progress, at the price of
         * {@code -wal} and {@code -shm} files beside the database. Ignored for {@code ":memory:"},
         * where it does not apply.
         */
        public Builder walMode(boolean walMode) {
            this.walMode = walMode;
            return this;
        }

        /**
         * How long to wait for another process's lock before failing with
         * {@link EventStoreBusyException}; {@link Duration#ZERO} fails at once. Millisecond precision.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder busyTimeout(Duration busyTimeout) {
            Objects.requireNonNull(busyTimeout, "busyTimeout");
            if (busyTimeout.isNegative()) {
                throw new IllegalArgumentException("busyTimeout must be zero (fail at once) or positive; got " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** Commit durability; {@link Synchronous#FULL} unless set. */
        public Builder synchronous(Synchronous synchronous) {
            this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
            return this;
        }

        /**
         * Read-only (default off): for inspecting a store without changing it, e.g. a copy on a
         * read-only disk. The database is opened with SQLite's read-only flag; nothing is created
         * or migrated and the journal mode is left as it is. {@link SQLiteEventStore#initialize()}
         * refuses a missing file and a database that does not hold this library's current schema
         * (an empty file, another application's database, an older or newer schema), naming it;
         * appends, imports, snapshots and checkpoints throw {@link ReadOnlyStoreException}. Not
         * for {@code ":memory:"}, which would always be empty.
         */
        public Builder readOnly(boolean readOnly) {
            if (readOnly && database.equals(MEMORY)) {
                throw new IllegalArgumentException("a read-only \":memory:\" database would always be empty; open a file read-only");
            }
            this.readOnly = readOnly;
            return this;
        }

        /** OpenTelemetry spans for appends and reads (no-op without an SDK); on unless set. */
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
         * A prefix for the store's table and index names (default {@value SQLiteEventStore#DEFAULT_TABLE_PREFIX}:
         * none, the names every store had before prefixes existed): with {@code "es_"} the tables
         * are {@code es_events}, {@code es_snapshots}, {@code es_subscription_checkpoints},
         * {@code es_dead_letters} and {@code es_schema_version}, so an application's own tables of
         * those names (read models in the same file, say) do not collide, and several stores can
         * share one file. The prefix is part of the store's identity: open an existing store with
         * the prefix it was created with.
         *
         * @throws IllegalArgumentException unless the prefix is empty or a lower-case SQL identifier
         *                                  matching {@code [a-z_][a-z0-9_]{0,40}}, e.g. {@code "es_"}
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = SqlNames.tablePrefix(tablePrefix);
            return this;
        }

        /**
         * A raw sqlite-jdbc connection setting (e.g. {@code max_page_count}); tests use it to make
         * SQLite report conditions such as a full disk that cannot be produced portably otherwise.
         */
        Builder driverProperty(String key, String value) {
            driverProperties.setProperty(key, value);
            return this;
        }

        public SQLiteEventStore build() {
            return new SQLiteEventStore(this);
        }
    }
}
