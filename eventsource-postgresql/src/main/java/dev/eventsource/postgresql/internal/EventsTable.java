package dev.eventsource.postgresql.internal;

import dev.eventsource.jdbc.SqlNames;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.AppendRules;
import dev.eventsource.store.spi.ExistingEvent;
import dev.eventsource.store.spi.OwnerCheck;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.TypePattern;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of one store's events table, rendered once for its validated schema and prefix, and the
 * JDBC around it. Every method works on a connection it is given and throws {@link SQLException}
 * raw; the store owns connections and translation.
 *
 * <p>Every statement that takes positions runs in a transaction that called
 * {@code announce_writer()} first, and every forward page is bounded by
 * {@code readable_position()}: that pair keeps the global order gap-safe (see
 * {@code docs/adr/0001-postgresql-gap-safe-global-order.md}).
 */
public final class EventsTable {

    /**
     * The events table's columns, the one list of them outside the schema scripts: the store's and
     * the importer's statements are built from it, and {@link #row} reads them in this order.
     */
    private static final List<String> EVENT_COLUMNS = List.of("global_position", "event_id", "aggregate_type",
            "aggregate_id", "version", "event_type", "schema_version", "occurred_at", "recorded_at", "tenant_id", "metadata",
            "payload");

    /** Every column; the JSON ones as text, which is what the mapper reads. */
    public static final String COLUMNS = String.join(", ", EVENT_COLUMNS.stream()
            .map(column -> column.equals("metadata") || column.equals("payload") ? column + "::text AS " + column : column)
            .toList());

    private static final String E_COLUMNS = String.join(", ", EVENT_COLUMNS.stream().map(column -> "e." + column).toList());

    /** The columns an insert writes, in order: all but the position, which the sequence hands out. */
    public static final List<String> INSERTED = EVENT_COLUMNS.subList(1, EVENT_COLUMNS.size());

    /** The events of an append as parallel arrays, numbered from 1 in append order. */
    private static final String UNNEST = "unnest(?::uuid[], ?::text[], ?::int[], ?::timestamptz[], ?::text[],"
            + " ?::jsonb[], ?::jsonb[]) WITH ORDINALITY AS e(event_id, event_type, schema_version, occurred_at, tenant_id,"
            + " metadata, payload, ord)";

    private static final String INSERT_COLUMNS = " (" + String.join(", ", INSERTED) + ")";

    /**
     * One event's row in {@link #INSERTED}'s order, as the one-event statements take it: {@code %s}
     * stands for the version; {@link #bindRowOfOne} binds the rest.
     */
    private static final String ROW_OF_ONE = "?::uuid, ?::text, ?::uuid, %s, ?::text, ?::int, ?::timestamptz, ?::timestamptz, ?::text, ?::jsonb,"
            + " ?::jsonb";

    private static final String EVENT_VALUES = " e.event_type, e.schema_version, e.occurred_at, ?::timestamptz, e.tenant_id,"
            + " e.metadata, e.payload";

    /** The most one-event appends one combined statement carries. */
    static final int MAX_COMBINED = 16;

    private final String table;
    private final String announce;
    private final String readablePosition;
    private final String optimisticInsert;
    private final String optimisticInsertOne;
    /** {@link #combinedInsert}'s statements, by the number of appends they carry (2 to {@link #MAX_COMBINED}). */
    private final String[] combinedInserts = new String[MAX_COMBINED + 1];
    private final AppendCombiner combiner;
    private final String insert;
    private final String facts;
    private final String readStream;
    private final String streamVersion;
    private final String streamHeadQuery;
    private final String eventExists;
    private final String globalPosition;

    public EventsTable(String schema, String prefix) {
        this(schema, prefix, false, 2);
    }

    /**
     * @param rowLevelSecurity whether the table is under row-level security (see
     *                         {@code row-level-security.sql}): a stream's head is then read through
     *                         the {@code stream_head} function, which sees every tenant's rows, so
     *                         that versions stay true on a connection bound to one tenant
     * @param combining        how many statements of {@linkplain AppendCombiner combined} one-event
     *                         appends may be in flight at once (at least 1); more concurrent appends
     *                         wait and go with the next statement
     */
    public EventsTable(String schema, String prefix, boolean rowLevelSecurity, int combining) {
        String s = SqlNames.schema(schema);
        String p = SqlNames.tablePrefix(prefix);
        this.table = s + "." + p + "events";
        this.announce = s + "." + p + "announce_writer()";
        this.readablePosition = "SELECT " + s + "." + p + "readable_position()";
        // Not max(version): on a table not yet analyzed the planner aggregates every index entry of the
        // stream, so each read would cost the stream's length; this is always one backward index step.
        String headRow = headRow(s + "." + p, rowLevelSecurity, "?", "?");
        String streamHead = "coalesce((SELECT h.version FROM (" + headRow + ") AS h), 0)";
        this.streamHeadQuery = headRow;
        // One statement, one round trip in autocommit: take the stream's lock if it is free, announce,
        // read the stream's head, check the owner and the expectation, and insert; the unique
        // constraints catch whatever raced in between. A writer holding the lock (the careful path)
        // is never overtaken: while it holds it this statement inserts nothing and the writer here
        // queues behind it on the careful path, instead of making it collide again and again.
        String fastPathHead = "WITH free AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(?) AS held),"
                + " writer AS MATERIALIZED (SELECT " + announce + " FROM free WHERE free.held),"
                + " stream AS MATERIALIZED (SELECT coalesce(h.version, 0) AS current, h.tenant_id AS owner"
                + " FROM writer LEFT JOIN (" + headRow + ") AS h ON true)"
                + " INSERT INTO " + table + INSERT_COLUMNS;
        String fastPathConditions = " WHERE stream.current BETWEEN ? AND ?"
                // An owner-checked append: only to a new stream or one whose last event is the tenant's.
                + " AND (?::text IS NULL OR stream.current = 0 OR stream.owner = ?::text)";
        this.optimisticInsert = fastPathHead
                + " SELECT e.event_id, ?, ?, stream.current + e.ord," + EVENT_VALUES
                + " FROM stream, " + UNNEST
                + fastPathConditions
                // Leaves ids already stored to the careful path, without spending positions on a doomed insert.
                + " AND NOT EXISTS (SELECT 1 FROM " + idLookup("1") + ")"
                + " ORDER BY e.ord"
                + " RETURNING version, global_position";
        // The same statement for the most common append, one event, with scalar parameters: no arrays for
        // the driver to encode (escaping every quote of the JSON) and the server to parse, no unnest, no sort.
        this.optimisticInsertOne = fastPathHead
                + " SELECT " + ROW_OF_ONE.formatted("stream.current + 1")
                + " FROM stream"
                + fastPathConditions
                + " AND NOT EXISTS (SELECT 1 FROM " + table + " WHERE event_id = ?::uuid)"
                + " RETURNING version, global_position";
        this.insert = "INSERT INTO " + table + INSERT_COLUMNS
                + " SELECT e.event_id, ?, ?, ? + e.ord - 1," + EVENT_VALUES
                + " FROM " + UNNEST
                + " ORDER BY e.ord"
                + " RETURNING version, global_position";
        // The first row is the stream's head: its tenant in the second column, its version in the fourth.
        this.facts = "WITH writer AS MATERIALIZED (SELECT " + announce + ")"
                + " SELECT NULL::uuid, h.tenant_id, NULL::uuid, coalesce(h.version, 0), NULL::bigint"
                + " FROM writer LEFT JOIN (" + headRow + ") AS h ON true"
                + " UNION ALL"
                + " SELECT f.event_id, f.aggregate_type, f.aggregate_id, f.version, f.global_position FROM "
                + idLookup("event_id, aggregate_type, aggregate_id, version, global_position");
        this.readStream = "SELECT s.current, " + E_COLUMNS
                + " FROM (SELECT " + streamHead + " AS current) AS s"
                + " LEFT JOIN LATERAL (SELECT " + COLUMNS + " FROM " + table + " WHERE aggregate_type = ? AND aggregate_id = ? AND version > ?) AS e ON true"
                + " ORDER BY e.version";
        this.streamVersion = "SELECT " + streamHead;
        this.eventExists = "SELECT EXISTS (SELECT 1 FROM " + table + " WHERE event_id = ?)";
        this.globalPosition = "SELECT coalesce(max(global_position), 0) FROM " + table;
        String headOfEach = headRow(s + "." + p, rowLevelSecurity, "f.aggregate_type", "f.aggregate_id");
        for (int n = 2; n <= MAX_COMBINED; n++) {
            combinedInserts[n] = combinedInsert(n, headOfEach);
        }
        this.combiner = new AppendCombiner(combining, MAX_COMBINED, this::runCombined);
    }

    /**
     * The query of a stream's head row ({@code version, tenant_id}, none for a new stream), for the
     * stream {@code type} and {@code id} name: parameters or columns. {@code names} is the schema and
     * table prefix, {@code "schema.prefix"}.
     */
    private static String headRow(String names, boolean rowLevelSecurity, String type, String id) {
        return rowLevelSecurity
                ? "SELECT version, tenant_id FROM " + names + "stream_head(" + type + ", " + id + ")"
                : "SELECT version, tenant_id FROM " + names + "events WHERE aggregate_type = " + type + " AND aggregate_id = " + id
                        + " ORDER BY version DESC LIMIT 1";
    }

    /**
     * The fast path of {@code n} one-event appends to different streams in one statement: each row is
     * decided alone, as {@link #optimisticInsertOne} decides its one, and only the rows that pass are
     * inserted. Every stream's lock is tried first ({@code free}); the writer is announced once, if any
     * lock was taken, before any row takes a position; then each held stream's head is read and its
     * expectation, owner and event id checked. Returns the event id of each inserted row.
     */
    private String combinedInsert(int n, String headOfEach) {
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            // The version column of a request is a placeholder: the statement computes each row's from its stream's head.
            values.append(i == 1 ? "" : ", ").append("(").append(i).append(", ?::bigint, ?::bigint, ?::bigint, ?::text, ")
                    .append(ROW_OF_ONE.formatted("0::bigint")).append(")");
        }
        String inserted = String.join(", ", INSERTED.stream().map(c -> c.equals("version") ? "s.current + 1" : "s." + c).toList());
        return "WITH request AS MATERIALIZED (SELECT * FROM (VALUES " + values + ") AS r(ord, lock_key, lowest, highest, owner, "
                + String.join(", ", INSERTED) + ")),"
                + " free AS MATERIALIZED (SELECT r.*, pg_try_advisory_xact_lock(r.lock_key) AS held FROM request AS r),"
                + " writer AS MATERIALIZED (SELECT " + announce + " WHERE EXISTS (SELECT 1 FROM free WHERE free.held)),"
                + " stream AS MATERIALIZED (SELECT f.*, coalesce(h.version, 0) AS current, h.tenant_id AS head_owner"
                + " FROM writer CROSS JOIN free AS f LEFT JOIN LATERAL (" + headOfEach + ") AS h ON true WHERE f.held)"
                + " INSERT INTO " + table + INSERT_COLUMNS
                + " SELECT " + inserted
                + " FROM stream AS s LEFT JOIN LATERAL (SELECT 1 AS found FROM " + table + " WHERE event_id = s.event_id LIMIT 1)"
                + " AS d ON true"
                + " WHERE d.found IS NULL AND s.current BETWEEN s.lowest AND s.highest"
                + " AND (s.owner IS NULL OR s.current = 0 OR s.head_owner = s.owner)"
                + " ORDER BY s.ord"
                + " RETURNING event_id, version, global_position";
    }

    /**
     * The {@code LISTEN}/{@code NOTIFY} channel of the store with this schema and prefix:
     * {@code <schema>.<prefix>events}, cut to PostgreSQL's 63-byte identifier limit (the names are
     * ASCII, so characters are bytes). The store notifies it after appends commit and
     * {@code PostgreSQLAppendNotifier} listens on it.
     */
    public static String channel(String schema, String prefix) {
        String name = SqlNames.schema(schema) + "." + SqlNames.tablePrefix(prefix) + "events";
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /**
     * The rows of the events table whose ids are in the array bound here, as {@code f}, found one
     * index lookup per id. Not {@code event_id = ANY(?)}: a generic plan of that, cached by a
     * prepared statement while the table is not yet analyzed, reads the whole table (a sequential
     * scan growing with the log on every append). The {@code LIMIT} keeps the lateral subquery from
     * being flattened into a join, which could be planned as a hash join over a scan.
     */
    private String idLookup(String columns) {
        return "unnest(?::uuid[]) AS i(id) CROSS JOIN LATERAL (SELECT " + columns + " FROM " + table
                + " WHERE event_id = i.id LIMIT 1) AS f";
    }

    /**
     * Every statement an append may run, by name, for the test that checks no plan of them scans the
     * table (they run as prepared statements, so PostgreSQL may switch to a generic plan).
     */
    Map<String, String> appendStatements() {
        return Map.of("optimisticInsert", optimisticInsert, "optimisticInsertOne", optimisticInsertOne, "insert", insert, "facts", facts,
                "streamVersion", streamVersion, "streamHead", streamHeadQuery, "eventExists", eventExists, "readStream", readStream,
                "combinedInsert2", combinedInserts[2], "combinedInsert" + MAX_COMBINED, combinedInserts[MAX_COMBINED]);
    }

    /**
     * Appends in as few round trips as the append allows: one statement in autocommit when the
     * stream's advisory lock is free, the expectation holds and no event id exists yet; otherwise a
     * transaction that takes the stream's lock (waiting for it), reads the facts, lets
     * {@link AppendRules} decide and inserts. The fast path takes the same lock with
     * {@code pg_try_advisory_xact_lock} and inserts nothing while another writer holds it, so the
     * lock holder is never overtaken on its stream: under the lock a unique violation can only come
     * from an event id stored meanwhile by a writer of another stream, and the careful path retries
     * from a savepoint then. The connection must be in autocommit mode and is left in it.
     *
     * <p>Without a {@code binding}, the fast path of a one-event append may share its statement with
     * one-event appends of other threads to other streams ({@link AppendCombiner}); each is decided
     * alone there, and one the shared statement did not insert comes back here for the careful path.
     *
     * <p>With a {@code binding}, every statement runs in a transaction that starts with it (a
     * transaction-local tenant binding ends with its transaction), so the fast path is a short
     * transaction rather than a single statement.
     *
     * @param maxAttempts how often to re-decide after a unique violation before giving up
     * @param binding     run first in every transaction; {@code null} for none
     * @throws SQLException with SQLState {@code 23505} only if {@code maxAttempts} ran out
     */
    public AppendResult append(Connection c, StreamId stream, List<SerializedEvent> events, ExpectedVersion expected,
                               Instant recordedAt, int maxAttempts, Binding binding) throws SQLException {
        return append(c, stream, events, expected, OwnerCheck.NONE, recordedAt, maxAttempts, binding);
    }

    /**
     * Appends as {@link #append(Connection, StreamId, List, ExpectedVersion, Instant, int, Binding)}
     * if {@code owner} allows the stream: the fast path inserts only into a new stream or one whose
     * last event is the owner's (in the same statement), and the careful path checks the owner
     * under the stream's lock, where it reads the stream's version; a refused append reaches the
     * careful path, which throws the refusal.
     *
     * @throws RuntimeException {@code owner}'s refusal, nothing written, for a stream of another tenant or of none
     */
    public AppendResult append(Connection c, StreamId stream, List<SerializedEvent> events, ExpectedVersion expected,
                               OwnerCheck owner, Instant recordedAt, int maxAttempts, Binding binding) throws SQLException {
        if (!events.isEmpty()) {
            try {
                AppendResult result = binding == null ? events.size() == 1 ? combinedAppend(c, stream, events.get(0), expected, owner, recordedAt)
                        : optimisticAppend(c, stream, events, expected, owner, recordedAt)
                        : boundOptimisticAppend(c, stream, events, expected, owner, recordedAt, binding);
                if (result != null) {
                    return result;
                }
            } catch (SQLException e) {
                if (!PgErrors.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
        c.setAutoCommit(false);
        try {
            if (binding != null) {
                binding.bind(c);
            }
            // Writers that collided queue here instead of colliding again; the lock covers this one stream only.
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, streamLockKey(stream));
                lock.execute();
            }
            for (int attempt = 1; ; attempt++) {
                Savepoint beforeAttempt = c.setSavepoint();
                try {
                    AppendResult result = appendInTransaction(c, stream, events, expected, owner, recordedAt);
                    c.commit();
                    return result;
                } catch (SQLException e) {
                    if (!PgErrors.isUniqueViolation(e) || attempt >= maxAttempts) {
                        throw e;
                    }
                    c.rollback(beforeAttempt);
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Runs first in a transaction: binds the connection to a tenant for that transaction. */
    public interface Binding {
        void bind(Connection c) throws SQLException;
    }

    private AppendResult boundOptimisticAppend(Connection c, StreamId stream, List<SerializedEvent> events,
                                               ExpectedVersion expected, OwnerCheck owner, Instant recordedAt,
                                               Binding binding) throws SQLException {
        c.setAutoCommit(false);
        try {
            binding.bind(c);
            AppendResult result = optimisticAppend(c, stream, events, expected, owner, recordedAt);
            if (result != null) {
                c.commit();
            } else {
                c.rollback();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * A single-bigint advisory key per stream ({@code objsubid = 1} in {@code pg_locks}, so readers
     * never take it for a writer's announcement). Two streams sharing a key only wait for each other.
     * Imports take the same locks.
     */
    long streamLockKey(StreamId stream) {
        UUID id = stream.aggregateId();
        return id.getMostSignificantBits() ^ id.getLeastSignificantBits() ^ ((long) stream.aggregateType().hashCode() << 16)
                ^ table.hashCode();
    }

    /**
     * Appends inside the caller's open transaction and does not commit: reads the stream's version and
     * the incoming ids that exist, decides with {@link AppendRules} and inserts. A unique violation
     * (another writer got in between) is thrown as it is and leaves the transaction failed.
     */
    public AppendResult appendInTransaction(Connection c, StreamId stream, List<SerializedEvent> events,
                                            ExpectedVersion expected, Instant recordedAt) throws SQLException {
        return appendInTransaction(c, stream, events, expected, OwnerCheck.NONE, recordedAt);
    }

    /**
     * {@link #appendInTransaction(Connection, StreamId, List, ExpectedVersion, Instant)}, refusing
     * with {@code owner}'s refusal (before deciding, nothing inserted) a stream {@code owner} does not allow.
     */
    public AppendResult appendInTransaction(Connection c, StreamId stream, List<SerializedEvent> events,
                                            ExpectedVersion expected, OwnerCheck owner, Instant recordedAt) throws SQLException {
        long current = 0;
        String headTenant = null;
        Map<UUID, ExistingEvent> existing = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(facts)) {
            s.setString(1, stream.aggregateType());
            s.setObject(2, stream.aggregateId());
            s.setArray(3, c.createArrayOf("uuid", events.stream().map(SerializedEvent::eventId).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    if (id == null) {
                        current = rs.getLong(4);
                        headTenant = rs.getString(2);
                    } else {
                        StreamId where = new StreamId(rs.getString(2), rs.getObject(3, UUID.class));
                        existing.put(id, new ExistingEvent(id, where, rs.getLong(4), rs.getLong(5)));
                    }
                }
            }
        }
        if (!owner.isNone()) {
            owner.require(current == 0 ? StreamHead.NONE : new StreamHead(current, headTenant));
        }
        AppendRules.Decision decision = AppendRules.decide(stream, expected, current, events, existing);
        if (decision instanceof AppendRules.Retry retry) {
            return retry.result();
        }
        AppendRules.Write write = (AppendRules.Write) decision;
        if (write.events().isEmpty()) {
            return write.result(0);
        }
        try (PreparedStatement s = c.prepareStatement(insert)) {
            s.setString(1, stream.aggregateType());
            s.setObject(2, stream.aggregateId());
            s.setLong(3, write.firstVersion());
            s.setString(4, TimestampText.of(recordedAt));
            bindEvents(c, s, 5, write.events());
            return write.result(lastPosition(s, write.events().size()));
        }
    }

    /** The lowest and the highest current version of the stream {@code expected} allows. */
    private record Allowed(long lowest, long highest) {
        static Allowed by(ExpectedVersion expected) {
            if (expected.isExact()) {
                return new Allowed(expected.version(), expected.version());
            }
            return new Allowed(expected.equals(ExpectedVersion.STREAM_EXISTS) ? 1 : 0, Long.MAX_VALUE);
        }
    }

    /** One event's append as the combined statement carries it. */
    private record OneEvent(StreamId stream, SerializedEvent event, Allowed allowed, OwnerCheck owner, Instant recordedAt) {
    }

    /** The fast path of a one-event append outside a tenant binding: alone, or combined with concurrent ones. */
    private AppendResult combinedAppend(Connection c, StreamId stream, SerializedEvent event, ExpectedVersion expected,
                                        OwnerCheck owner, Instant recordedAt) throws SQLException {
        OneEvent append = new OneEvent(stream, event, Allowed.by(expected), owner, recordedAt);
        return combiner.append(c, new AppendCombiner.Request(streamLockKey(stream), event.eventId(), append));
    }

    /** Runs the appends of {@code requests}, one alone with the one-event statement, and finishes those inserted. */
    private void runCombined(Connection c, List<AppendCombiner.Request> requests) throws SQLException {
        if (requests.size() == 1) {
            OneEvent a = (OneEvent) requests.get(0).append;
            requests.get(0).finish(optimisticAppendOne(c, a.stream, a.event, a.allowed, a.owner, a.recordedAt));
            return;
        }
        Map<UUID, AppendCombiner.Request> byId = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(combinedInserts[requests.size()])) {
            int p = 1;
            for (AppendCombiner.Request request : requests) {
                OneEvent a = (OneEvent) request.append;
                byId.put(a.event.eventId(), request);
                s.setLong(p++, request.lockKey);
                s.setLong(p++, a.allowed.lowest);
                s.setLong(p++, a.allowed.highest);
                s.setString(p++, a.owner.tenantId());
                p = bindRowOfOne(s, p, a.stream, a.event, a.recordedAt);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    byId.get(rs.getObject(1, UUID.class)).finish(new AppendResult(rs.getLong(2), rs.getLong(3)));
                }
            }
        }
    }

    private AppendResult optimisticAppend(Connection c, StreamId stream, List<SerializedEvent> events,
                                          ExpectedVersion expected, OwnerCheck owner, Instant recordedAt) throws SQLException {
        Allowed allowed = Allowed.by(expected);
        if (events.size() == 1) {
            return optimisticAppendOne(c, stream, events.get(0), allowed, owner, recordedAt);
        }
        try (PreparedStatement s = c.prepareStatement(optimisticInsert)) {
            bindFastPathHead(s, stream);
            s.setString(4, stream.aggregateType());
            s.setObject(5, stream.aggregateId());
            s.setString(6, TimestampText.of(recordedAt));
            int next = bindFastPathConditions(s, bindEvents(c, s, 7, events), allowed, owner);
            s.setArray(next, c.createArrayOf("uuid", events.stream().map(SerializedEvent::eventId).toArray()));
            return fastPathResult(s);
        }
    }

    /** The fast path for one event: {@link #optimisticInsert}'s statement with scalar parameters. */
    private AppendResult optimisticAppendOne(Connection c, StreamId stream, SerializedEvent event, Allowed allowed,
                                             OwnerCheck owner, Instant recordedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(optimisticInsertOne)) {
            bindFastPathHead(s, stream);
            int next = bindRowOfOne(s, 4, stream, event, recordedAt);
            s.setObject(bindFastPathConditions(s, next, allowed, owner), event.eventId());
            return fastPathResult(s);
        }
    }

    /** Binds {@link #ROW_OF_ONE}'s parameters from parameter {@code first} on; returns the next parameter's index. */
    private static int bindRowOfOne(PreparedStatement s, int first, StreamId stream, SerializedEvent event, Instant recordedAt)
            throws SQLException {
        int p = first;
        s.setObject(p++, event.eventId());
        s.setString(p++, stream.aggregateType());
        s.setObject(p++, stream.aggregateId());
        s.setString(p++, event.eventType());
        s.setInt(p++, event.schemaVersion());
        s.setString(p++, TimestampText.of(event.occurredAt()));
        s.setString(p++, TimestampText.of(recordedAt));
        s.setString(p++, event.tenantId());
        s.setString(p++, event.metadataJson());
        s.setString(p++, event.payloadJson());
        return p;
    }

    /** Binds the fast path's first three parameters: the stream's lock key, and the stream for reading its head. */
    private void bindFastPathHead(PreparedStatement s, StreamId stream) throws SQLException {
        s.setLong(1, streamLockKey(stream));
        s.setString(2, stream.aggregateType());
        s.setObject(3, stream.aggregateId());
    }

    /** Binds the fast path's expectation and owner from parameter {@code first} on; returns the next parameter's index. */
    private static int bindFastPathConditions(PreparedStatement s, int first, Allowed allowed, OwnerCheck owner)
            throws SQLException {
        s.setLong(first, allowed.lowest);
        s.setLong(first + 1, allowed.highest);
        s.setString(first + 2, owner.tenantId());
        s.setString(first + 3, owner.tenantId());
        return first + 4;
    }

    /**
     * The new version and the highest position of the rows the fast path inserted; {@code null} for
     * none: the stream's lock was held, or the owner, the expectation or an id did not allow the
     * insert. The careful path then queues for the lock and decides between a retry, a conflict and a refusal.
     */
    private static AppendResult fastPathResult(PreparedStatement s) throws SQLException {
        Inserted inserted = Inserted.run(s);
        return inserted.rows == 0 ? null : new AppendResult(inserted.version, inserted.position);
    }

    /** What an insert returning {@code version, global_position} wrote: its row count and the highest of each. */
    private record Inserted(int rows, long version, long position) {

        static Inserted run(PreparedStatement s) throws SQLException {
            long version = 0;
            long position = 0;
            int rows = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    version = Math.max(version, rs.getLong(1));
                    position = Math.max(position, rs.getLong(2));
                }
            }
            return new Inserted(rows, version, position);
        }
    }

    private static int bindEvents(Connection c, PreparedStatement s, int first, List<SerializedEvent> events)
            throws SQLException {
        int n = events.size();
        Object[] ids = new Object[n];
        String[] types = new String[n];
        Integer[] schemaVersions = new Integer[n];
        String[] occurredAt = new String[n];
        String[] tenants = new String[n];
        String[] metadata = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            SerializedEvent e = events.get(i);
            ids[i] = e.eventId();
            types[i] = e.eventType();
            schemaVersions[i] = e.schemaVersion();
            occurredAt[i] = TimestampText.of(e.occurredAt());
            tenants[i] = e.tenantId();
            metadata[i] = e.metadataJson();
            payloads[i] = e.payloadJson();
        }
        Array[] arrays = {c.createArrayOf("uuid", ids), c.createArrayOf("text", types), c.createArrayOf("int4", schemaVersions),
                c.createArrayOf("text", occurredAt), c.createArrayOf("text", tenants), c.createArrayOf("text", metadata),
                c.createArrayOf("text", payloads)};
        for (int i = 0; i < arrays.length; i++) {
            s.setArray(first + i, arrays[i]);
        }
        return first + arrays.length;
    }

    private static long lastPosition(PreparedStatement s, int expectedRows) throws SQLException {
        Inserted inserted = Inserted.run(s);
        if (inserted.rows != expectedRows) {
            throw new IllegalStateException("inserted " + inserted.rows + " rows for " + expectedRows + " events");
        }
        return inserted.position;
    }

    /** A stream's rows above {@code afterVersion} and its current version, from one snapshot. */
    public RecordedStream readStream(Connection c, StreamId stream, long afterVersion) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(readStream)) {
            s.setString(1, stream.aggregateType());
            s.setObject(2, stream.aggregateId());
            s.setString(3, stream.aggregateType());
            s.setObject(4, stream.aggregateId());
            s.setLong(5, afterVersion);
            long current = 0;
            List<RecordedEvent> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    current = rs.getLong(1);
                    if (rs.getObject(2) != null) {
                        rows.add(row(rs, 2));
                    }
                }
            }
            return new RecordedStream(rows, current);
        }
    }

    /**
     * One page of the global log. Forward pages stop at {@code bound}, at most
     * {@link #readablePosition} read in a statement of its own before the page's snapshot is taken,
     * so the connection must be in autocommit mode (or read committed with no open snapshot);
     * backward pages ignore it.
     */
    public List<RecordedEvent> readPage(Connection c, ReadOptions options, long cursor, long bound, int max) throws SQLException {
        boolean forward = options.direction() == ReadDirection.FORWARD;
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ").append(table)
                .append(forward ? " WHERE global_position > ? AND global_position <= ?" : " WHERE global_position < ?");
        List<Object> params = new ArrayList<>();
        params.add(cursor);
        if (forward) {
            if (bound <= cursor) {
                return List.of();
            }
            params.add(bound);
        }
        if (!options.eventTypes().isEmpty()) {
            if (options.eventTypePatterns().isEmpty()) {
                sql.append(" AND event_type = ANY(?)");
                params.add(c.createArrayOf("text", options.eventTypes().toArray()));
            } else {
                sql.append(" AND (event_type = ANY(?) OR event_type LIKE ANY(?))");
                params.add(c.createArrayOf("text", options.exactEventTypes().toArray()));
                params.add(c.createArrayOf("text", options.eventTypePatterns().stream().map(TypePattern::sqlLike).toArray()));
            }
        }
        if (!options.aggregateTypes().isEmpty()) {
            sql.append(" AND aggregate_type = ANY(?)");
            params.add(c.createArrayOf("text", options.aggregateTypes().toArray()));
        }
        if (options.tenantId() != null) {
            sql.append(" AND tenant_id = ?");
            params.add(options.tenantId());
        }
        if (options.fromTimestamp() != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(OffsetDateTime.ofInstant(options.fromTimestamp(), ZoneOffset.UTC));
        }
        if (options.toTimestamp() != null) {
            sql.append(" AND occurred_at <= ?");
            params.add(OffsetDateTime.ofInstant(options.toTimestamp(), ZoneOffset.UTC));
        }
        sql.append(forward ? " ORDER BY global_position LIMIT ?" : " ORDER BY global_position DESC LIMIT ?");
        params.add(max);
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<RecordedEvent> page = new ArrayList<>(Math.min(max, 1024));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    page.add(row(rs, 1));
                }
            }
            return page;
        }
    }

    /** The highest position a forward reader may pass now; see the class comment. */
    public long readablePosition(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(readablePosition); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public long streamVersion(Connection c, StreamId stream) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(streamVersion)) {
            s.setString(1, stream.aggregateType());
            s.setObject(2, stream.aggregateId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The version and tenant of a stream's last event; {@link StreamHead#NONE} for a stream that does not exist. */
    public StreamHead streamHead(Connection c, StreamId stream) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(streamHeadQuery)) {
            s.setString(1, stream.aggregateType());
            s.setObject(2, stream.aggregateId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new StreamHead(rs.getLong(1), rs.getString(2)) : StreamHead.NONE;
            }
        }
    }

    public boolean eventExists(Connection c, UUID eventId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(eventExists)) {
            s.setObject(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The table's qualified name. */
    public String table() {
        return table;
    }

    /** The highest committed position, 0 when empty. */
    public long globalPosition(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(globalPosition); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads the current row from column {@code i} on, selected with {@link #COLUMNS}. */
    public static RecordedEvent row(ResultSet rs, int i) throws SQLException {
        return new RecordedEvent(rs.getObject(i + 1, UUID.class), rs.getString(i + 5), rs.getInt(i + 6),
                rs.getObject(i + 3, UUID.class), rs.getString(i + 2), rs.getLong(i + 4), rs.getLong(i),
                instant(rs, i + 7), instant(rs, i + 8), rs.getString(i + 9), rs.getString(i + 10), rs.getString(i + 11));
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        return rs.getObject(i, OffsetDateTime.class).toInstant();
    }
}
