package dev.eventsource.inbox;

import dev.eventsource.EventSourceException;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.jdbc.SqlNames;
import dev.eventsource.store.EventStoreInterruptedException;
import dev.eventsource.store.StoredEvent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An idempotent consumer: applies each event's effects to a read model in a SQL database
 * <b>exactly once</b> per consumer group, although the bus delivers at least once.
 *
 * <pre>{@code
 * Inbox inbox = Inbox.open(dataSource);               // SQLite or PostgreSQL, detected; creates its table
 * bus.subscribe(ConsumerGroup.named("billing"), inbox.exactlyOnce("billing", (event, envelope, connection) -> {
 *     try (var insert = connection.prepareStatement("INSERT INTO invoices (order_id) VALUES (?)")) {
 *         insert.setString(1, envelope.aggregateId().toString());
 *         insert.executeUpdate();
 *     }
 * }));
 * }</pre>
 *
 * <p><b>How.</b> Each delivery runs one transaction on a connection of the inbox's database: it
 * first inserts {@code (group, event id)} into the table {@code <prefix>inbox}; if the row is
 * there already, the group has processed the event, the transaction is rolled back and the
 * delivery returns normally (a duplicate, counted in {@link #stats()}). Otherwise it runs the
 * handler on that connection and commits: the effects and the record of the event become durable
 * together, or, if the handler, the database or the process fails, neither does, and the
 * redelivery applies them. Concurrent deliveries of one event (two members, two processes, a
 * retry racing the original) are serialized by the table's primary key: one commits, the others
 * see a duplicate. What is exactly once is what the handler does <em>through the given
 * connection</em>; anything else it does (a mail, an HTTP call) stays at least once.
 *
 * <p><b>Where.</b> The table lives in the read model's database (that is the point): a SQLite file,
 * or the current schema of a PostgreSQL connection. Its name is {@code <tablePrefix>inbox}
 * (default prefix {@code eventsource_}), with {@code <tablePrefix>inbox_schema_version} beside it;
 * {@link Builder#build()} creates both if missing, once, even when several processes open an inbox
 * at once. On SQLite the deliveries of one inbox queue in this process for the database's single
 * write lock, in arrival order, and each begins with {@code BEGIN IMMEDIATE}, waiting for a lock
 * another connection or process holds; a delivery that did not get it within the
 * {@linkplain Builder#busyTimeout busy timeout} (queueing included) throws
 * {@link dev.eventsource.store.EventStoreBusyException} (retryable) with nothing applied, like the
 * SQLite event store's writes; interrupted while queued, it throws
 * {@link dev.eventsource.store.EventStoreInterruptedException}.
 *
 * <p><b>Pruning.</b> The table grows by one row per event and group. {@link #pruneOlderThan}
 * deletes the rows processed before a horizon; that is a trade: an event redelivered after its row
 * was pruned is applied <em>again</em>. Prune only with a horizon longer than any redelivery you
 * can get (a broker's retention, a dead letter's replay).
 *
 * <p><b>Refused</b>, before anything is written: a group name that is null, blank, has surrounding
 * blanks or is longer than {@value #MAX_GROUP_LENGTH} characters ({@link IllegalArgumentException});
 * a null handler, envelope or event, or an envelope without an event id ({@link NullPointerException}
 * or {@link IllegalArgumentException} naming it); a data source or URL of another database than
 * SQLite or PostgreSQL ({@link IllegalArgumentException} naming the product found). Driver errors
 * of the inbox's own statements are translated as the event stores translate them (busy, transient,
 * unavailable, unexpected; the driver's exception is the cause); an exception of the handler,
 * a {@link SQLException} of its own statements included, is rethrown as it was after the rollback.
 *
 * <p>Thread-safe; every call takes its own connection from the data source and gives it back. The
 * inbox owns nothing that needs closing (a data source stays the caller's).
 */
public final class Inbox {

    /** The table prefix used when none is set, as the SQL event stores use. */
    public static final String DEFAULT_TABLE_PREFIX = "eventsource_";

    /** How long a SQLite delivery waits for a lock another connection holds, when not set. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** The longest group name accepted. */
    public static final int MAX_GROUP_LENGTH = 200;

    /** Where connections come from: a data source, or the driver manager for a URL. */
    @FunctionalInterface
    private interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final InboxDialect dialect;
    private final InboxSql sql;
    private final String table;
    private final Clock clock;
    private final String insert;
    private final String select;
    private final String prune;
    private final LongAdder processed = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /**
     * SQLite: this inbox's deliveries queue here, in arrival order, for the database's one write
     * lock, as the SQLite event store's writes queue for its writer; only other connections and
     * processes are waited for by polling SQLite. Null on PostgreSQL, whose deliveries run in parallel.
     */
    private final ReentrantLock sqliteWriters;

    private Inbox(Connector connector, InboxDialect dialect, String where, Builder b) {
        this.connector = connector;
        this.dialect = dialect;
        this.sql = InboxSql.of(dialect, b.tablePrefix, where, b.busyTimeout);
        this.table = sql.table("inbox");
        this.clock = b.clock;
        this.sqliteWriters = dialect == InboxDialect.SQLITE ? new ReentrantLock(true) : null;
        this.insert = "INSERT INTO " + table + " (consumer_group, event_id, processed_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (consumer_group, event_id) DO NOTHING";
        this.select = "SELECT 1 FROM " + table + " WHERE consumer_group = ? AND event_id = ?";
        this.prune = "DELETE FROM " + table + " WHERE processed_at < ?";
    }

    /**
     * An inbox on {@code dataSource}, which stays the caller's; the database is detected, the
     * table created if missing, with the default prefix.
     *
     * @throws IllegalArgumentException if the data source connects to neither SQLite nor PostgreSQL
     */
    public static Inbox open(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * An inbox on the database of a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL (with
     * user and password, and for PostgreSQL optionally {@code currentSchema}), connecting through
     * {@link DriverManager} for every call: fine for SQLite and for light PostgreSQL use; give a
     * pooled {@link DataSource} otherwise.
     *
     * @throws IllegalArgumentException for any other URL
     */
    public static Inbox open(String jdbcUrl) {
        return builder(jdbcUrl).build();
    }

    /** A builder for an inbox on {@code dataSource}, which stays the caller's. */
    public static Builder builder(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        return new Builder(dataSource::getConnection, null);
    }

    /** A builder for an inbox on the database of a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL. */
    public static Builder builder(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null; e.g. \"jdbc:sqlite:./read-model.db\"");
        InboxDialect dialect;
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            dialect = InboxDialect.SQLITE;
        } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            dialect = InboxDialect.POSTGRESQL;
        } else {
            throw new IllegalArgumentException("The inbox keeps its table in SQLite or PostgreSQL; give a jdbc:sqlite: or"
                    + " jdbc:postgresql: URL (e.g. \"jdbc:sqlite:./read-model.db\"); got '" + withoutQuery(jdbcUrl) + "'");
        }
        return new Builder(() -> DriverManager.getConnection(jdbcUrl), dialect);
    }

    /**
     * The bus handler that applies {@code handler}'s effects once per event for {@code group}:
     * subscribe it to the bus (in the consumer group of that name, typically). A duplicate returns
     * normally, so the bus acknowledges it; a failure throws, so the bus retries it.
     *
     * @param group   the consumer's name in the inbox table; two handlers with one group name share
     *                their processed ids (an event applied by one is a duplicate for the other)
     * @param handler the effects, through the transaction's connection
     * @throws IllegalArgumentException for a group name the inbox refuses (see the class comment)
     */
    public <E extends DomainEvent> EventHandler<E> exactlyOnce(String group, InboxHandler<? super E> handler) {
        String checked = checkGroup(group);
        Objects.requireNonNull(handler, "handler must not be null");
        return (event, envelope) -> apply(checked, event, envelope, handler);
    }

    /**
     * Applies {@code handler} to the event of {@code envelope} unless {@code group} processed it
     * already; for consumers that are not bus handlers.
     *
     * @return true if the effects were applied and committed now, false for a duplicate
     * @throws Exception the handler's exception, as it was, after the rollback
     */
    public boolean processOnce(String group, StoredEvent envelope, InboxHandler<DomainEvent> handler) throws Exception {
        String checked = checkGroup(group);
        Objects.requireNonNull(handler, "handler must not be null");
        Objects.requireNonNull(envelope, "envelope must not be null");
        return apply(checked, envelope.event(), envelope, handler);
    }

    /**
     * Whether {@code group} has processed the event {@code eventId} (and its row was not pruned).
     *
     * @throws IllegalArgumentException for a group name the inbox refuses
     */
    public boolean isProcessed(String group, UUID eventId) {
        String checked = checkGroup(group);
        Objects.requireNonNull(eventId, "eventId must not be null");
        try (Connection c = connector.connect(); PreparedStatement s = c.prepareStatement(select)) {
            s.setString(1, checked);
            sql.setUuid(s, 2, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw sql.translate(e, "reading whether " + checked + " processed event " + eventId);
        }
    }

    /**
     * Deletes the rows of every group processed more than {@code age} ago. Costs exactly-once for
     * those events: one redelivered after this is applied again. Choose {@code age} longer than
     * any redelivery can come late (the broker's retention, dead letters you may replay).
     *
     * @return how many rows were deleted
     * @throws IllegalArgumentException if {@code age} is negative
     */
    public long pruneOlderThan(Duration age) {
        Objects.requireNonNull(age, "age must not be null; e.g. Duration.ofDays(30)");
        if (age.isNegative()) {
            throw new IllegalArgumentException("age must be zero or positive, e.g. Duration.ofDays(30); got " + age);
        }
        Instant horizon = clock.instant().minus(age);
        long[] deleted = new long[1];
        inTransaction("pruning the inbox rows processed before " + horizon, c -> {
            try (PreparedStatement s = c.prepareStatement(prune)) {
                sql.setInstant(s, 1, horizon);
                deleted[0] = s.executeUpdate();
            }
            return Outcome.COMMIT;
        });
        return deleted[0];
    }

    /** What this inbox object did since it was built, in this process. */
    public InboxStats stats() {
        return new InboxStats(processed.sum(), duplicates.sum(), failed.sum());
    }

    /** The database the table lives in. */
    public InboxDialect dialect() {
        return dialect;
    }

    /** The table's name, e.g. {@code eventsource_inbox}. */
    public String table() {
        return table;
    }

    @Override
    public String toString() {
        return "Inbox(" + sql.where + ", table " + table + ")";
    }

    private <E extends DomainEvent> boolean apply(String group, E event, StoredEvent envelope,
                                                  InboxHandler<? super E> handler) throws Exception {
        Objects.requireNonNull(envelope, "envelope must not be null; deliver the StoredEvent the store returned");
        UUID eventId = envelope.eventId();
        if (eventId == null) {
            throw new IllegalArgumentException("the envelope of " + envelope.eventType() + " has no event id, which the"
                    + " inbox de-duplicates on; deliver the StoredEvent the store returned");
        }
        Objects.requireNonNull(event, "event must not be null; deliver the StoredEvent the store returned");
        Exception[] handlerFailure = new Exception[1];
        Outcome outcome;
        try {
            outcome = inTransaction("applying event " + eventId + " for " + group, c -> {
                try (PreparedStatement s = c.prepareStatement(insert)) {
                    s.setString(1, group);
                    sql.setUuid(s, 2, eventId);
                    sql.setInstant(s, 3, clock.instant());
                    if (s.executeUpdate() == 0) {
                        return Outcome.DUPLICATE;
                    }
                }
                try {
                    handler.handle(event, envelope, c);
                } catch (Exception e) {
                    handlerFailure[0] = e;
                    return Outcome.FAILED;
                }
                return Outcome.COMMIT;
            });
        } catch (RuntimeException | Error e) {
            failed.increment();
            throw e;
        }
        switch (outcome) {
            case COMMIT -> processed.increment();
            case DUPLICATE -> duplicates.increment();
            case FAILED -> {
                failed.increment();
                throw handlerFailure[0];
            }
        }
        return outcome == Outcome.COMMIT;
    }

    /** How a transaction of the inbox ends: committed, or rolled back as a duplicate or after the handler failed. */
    private enum Outcome {
        COMMIT, DUPLICATE, FAILED
    }

    /** Work in the inbox's transaction; it is committed only when this returns {@link Outcome#COMMIT}. */
    @FunctionalInterface
    private interface Work {
        Outcome run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a connection of its own: commits on {@link Outcome#COMMIT},
     * rolls back otherwise and when it throws. Driver errors come out translated. On SQLite it first
     * queues for {@link #sqliteWriters}; the busy timeout counts from the call, queueing included.
     */
    private Outcome inTransaction(String action, Work work) {
        long deadline = sql.deadlineFromNow();
        try (Connection c = connector.connect()) {
            boolean autoCommit = c.getAutoCommit();
            queueForTheWriteLock(action, deadline);
            try {
                sql.begin(c, false, deadline);
                Outcome outcome;
                try {
                    outcome = work.run(c);
                    if (outcome == Outcome.COMMIT) {
                        sql.commit(c);
                    } else {
                        sql.rollback(c, new SQLException("rollback"));   // a failed rollback leaves nothing to keep
                    }
                } catch (SQLException | RuntimeException | Error e) {
                    sql.rollback(c, e);
                    throw e;
                }
                return outcome;
            } finally {
                if (sqliteWriters != null) {
                    sqliteWriters.unlock();
                }
                if (c.getAutoCommit() != autoCommit) {
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw sql.translate(e, action);
        }
    }

    /** SQLite: takes {@link #sqliteWriters} by {@code deadline}, or refuses as busy; nothing on PostgreSQL. */
    private void queueForTheWriteLock(String action, long deadline) {
        if (sqliteWriters == null) {
            return;
        }
        try {
            if (!sqliteWriters.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw ((InboxSql.SQLite) sql).busy(action, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreInterruptedException("Interrupted while waiting for the write lock of " + sql.where
                    + " before " + action + "; nothing was applied. The thread's interrupt flag is set.", e);
        }
    }

    private static String checkGroup(String group) {
        if (group == null || group.isBlank() || !group.equals(group.strip()) || group.length() > MAX_GROUP_LENGTH) {
            throw new IllegalArgumentException("an inbox group needs a non-blank name without surrounding blanks, of at"
                    + " most " + MAX_GROUP_LENGTH + " characters, e.g. the consumer group's name \"billing\"; got "
                    + (group == null ? "null" : "'" + (group.length() > 60 ? group.substring(0, 60) + "...' ("
                    + group.length() + " characters)" : group + "'")));
        }
        return group;
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    /**
     * Builds an {@link Inbox}: {@link #tablePrefix}, {@link #dialect}, {@link #busyTimeout},
     * {@link #clock}; {@link #build()} connects once, detects the database and creates the table.
     */
    public static final class Builder {

        private final Connector connector;
        private InboxDialect dialect;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder(Connector connector, InboxDialect dialect) {
            this.connector = connector;
            this.dialect = dialect;
        }

        /**
         * The prefix of the table names; default {@value Inbox#DEFAULT_TABLE_PREFIX}.
         *
         * @throws IllegalArgumentException unless empty or matching {@code [a-z_][a-z0-9_]{0,40}}
         */
        public Builder tablePrefix(String tablePrefix) {
            SqlNames.tablePrefix(tablePrefix);
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** The database, instead of detecting it from the connection's product name. */
        public Builder dialect(InboxDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect must not be null; leave it unset to detect it");
            return this;
        }

        /**
         * How long a SQLite delivery waits for the write lock another connection or process holds
         * before it throws {@link dev.eventsource.store.EventStoreBusyException}; default 5 s,
         * {@link Duration#ZERO} fails at once (the connection's own {@code busy_timeout} still
         * applies to each attempt). Not used on PostgreSQL.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder busyTimeout(Duration busyTimeout) {
            Objects.requireNonNull(busyTimeout, "busyTimeout must not be null");
            if (busyTimeout.isNegative()) {
                throw new IllegalArgumentException("busyTimeout must be zero (fail at once) or positive; got " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** The clock that stamps {@code processed_at} and that {@link Inbox#pruneOlderThan} counts from; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Connects once, detects the database unless {@link #dialect} was set, and creates the
         * table if missing (safe when several processes do it at once).
         *
         * @throws IllegalArgumentException if the database is neither SQLite nor PostgreSQL
         * @throws EventSourceException     translated driver errors (e.g. a newer table version)
         */
        public Inbox build() {
            InboxDialect chosen = dialect;
            String where = "the inbox's database";
            try (Connection c = connector.connect()) {
                DatabaseMetaData meta = c.getMetaData();
                String product = meta.getDatabaseProductName();
                where = describe(product, meta.getURL());
                if (chosen == null) {
                    chosen = detect(product, meta.getDatabaseProductVersion());
                }
                Inbox inbox = new Inbox(connector, chosen, where, this);
                try {
                    new InboxSchema(inbox.sql).migrate(c);
                } catch (SQLException e) {
                    throw inbox.sql.translate(e, "creating the inbox table " + inbox.table);
                }
                return inbox;
            } catch (SQLException e) {
                InboxDialect guess = chosen == null ? InboxDialect.POSTGRESQL : chosen;
                throw InboxSql.of(guess, tablePrefix, where, busyTimeout).translate(e, "connecting to open an inbox");
            }
        }

        private static InboxDialect detect(String product, String version) {
            for (InboxDialect d : InboxDialect.values()) {
                if (d.productName().equalsIgnoreCase(product)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("The inbox keeps its table in SQLite or PostgreSQL, but this data source"
                    + " connects to " + product + " " + version + ". Give it a SQLite or PostgreSQL data source (the read"
                    + " model's database), or, for a driver that reports another product name for one of them, set"
                    + " Inbox.builder(dataSource).dialect(InboxDialect.SQLITE or InboxDialect.POSTGRESQL).");
        }

        private static String describe(String product, String url) {
            String shown = url == null ? "" : withoutQuery(url);
            return product + (shown.isEmpty() ? "" : " " + shown);
        }
    }
}
