package dev.eventsource.inbox;

import dev.eventsource.EventSourceException;
import dev.eventsource.jdbc.SqlDialect;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.TransientEventStoreException;
import dev.eventsource.store.UnexpectedStoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What differs between the inbox's databases: the column types, how a transaction begins (and
 * waits for its lock), and how driver errors become library exceptions. Table names are the
 * validated prefix plus the library's own names; nothing a caller passes reaches SQL text.
 */
abstract class InboxSql implements SqlDialect {

    final String prefix;
    final String where;

    InboxSql(String prefix, String where) {
        this.prefix = prefix;
        this.where = where;
    }

    static InboxSql of(InboxDialect dialect, String prefix, String where, Duration busyTimeout) {
        return switch (dialect) {
            case SQLITE -> new SQLite(prefix, where, busyTimeout);
            case POSTGRESQL -> new PostgreSQL(prefix, where);
        };
    }

    @Override
    public String table(String name) {
        return prefix + name;
    }

    /** The statements that create version 1 of the inbox table. */
    abstract List<String> createTable(String table);

    /** Whether table {@code name} exists where unqualified names resolve. */
    abstract boolean tableExists(Connection c, String name) throws SQLException;

    /**
     * Starts a transaction that holds the lock writes need (SQLite, waiting for it until
     * {@code deadline}, a {@link System#nanoTime()} time) or that serializes migrations
     * (PostgreSQL, if {@code migrating}).
     */
    abstract void begin(Connection c, boolean migrating, long deadline) throws SQLException;

    /** The deadline of a wait for a lock that starts now. */
    abstract long deadlineFromNow();

    abstract void commit(Connection c) throws SQLException;

    /** Rolls back; a failure to do so is kept as suppressed on {@code failure}. */
    abstract void rollback(Connection c, Throwable failure);

    /** The library exception for a driver error while doing {@code action}. */
    abstract EventSourceException translate(SQLException e, String action);

    /** SQLite: ids as canonical text, times as microseconds since the epoch; explicit {@code BEGIN IMMEDIATE}. */
    static final class SQLite extends InboxSql {

        /** Roughly SQLite's own back-off, in milliseconds. */
        private static final int[] DELAYS = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};

        private final Duration busyTimeout;

        SQLite(String prefix, String where, Duration busyTimeout) {
            super(prefix, where);
            this.busyTimeout = busyTimeout;
        }

        @Override
        List<String> createTable(String table) {
            return List.of("CREATE TABLE " + table + " (consumer_group TEXT NOT NULL, event_id TEXT NOT NULL,"
                            + " processed_at INTEGER NOT NULL, PRIMARY KEY (consumer_group, event_id)) WITHOUT ROWID",
                    "CREATE INDEX " + table + "_processed_at ON " + table + " (processed_at)");
        }

        @Override
        boolean tableExists(Connection c, String name) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getInt(1) > 0;
                }
            }
        }

        /**
         * {@code BEGIN IMMEDIATE} on a connection in auto-commit mode (the driver would otherwise begin a
         * deferred transaction, which can fail to upgrade to a writer without waiting). While another
         * connection or process writes, it waits in Java, with back-off, up to the busy timeout.
         */
        @Override
        long deadlineFromNow() {
            return System.nanoTime() + busyTimeout.toNanos();
        }

        @Override
        void begin(Connection c, boolean migrating, long deadline) throws SQLException {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            for (int attempt = 0; ; attempt++) {
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                    return;
                } catch (SQLException e) {
                    long remaining = deadline - System.nanoTime();
                    if (!isBusy(e) || remaining <= 0) {
                        throw e;
                    }
                    sleep(Math.min(TimeUnit.MILLISECONDS.toNanos(DELAYS[Math.min(attempt, DELAYS.length - 1)]), remaining), e);
                }
            }
        }

        @Override
        void commit(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
        }

        @Override
        void rollback(Connection c, Throwable failure) {
            try (Statement s = c.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }

        /**
         * The write lock was not obtained within the busy timeout while doing {@code action};
         * {@code cause} is the driver's {@code SQLITE_BUSY}, or {@code null} when the time ran out
         * while queued behind this inbox's other deliveries.
         */
        EventStoreBusyException busy(String action, SQLException cause) {
            return new EventStoreBusyException("SQLite database " + where + " is locked by another connection or"
                    + " process; the inbox gave up after its busy timeout of " + busyTimeout.toMillis() + " ms while "
                    + action + ". Nothing was applied; the delivery can be retried (a bus does), or configure a longer"
                    + " busyTimeout." + (cause == null ? "" : " (SQLite says: " + cause.getMessage() + ")"), busyTimeout, cause);
        }

        @Override
        EventSourceException translate(SQLException e, String action) {
            if (isBusy(e)) {
                return busy(action, e);
            }
            return switch (primaryCode(e)) {
                case 8 -> new StoreUnavailableException(StoreUnavailableException.Reason.READ_ONLY, "SQLite database "
                        + where + " is read-only for this process (error while " + action + "); nothing was applied."
                        + " Make the file and its folder writable. (SQLite says: " + e.getMessage() + ")", e);
                case 13 -> new StoreUnavailableException(StoreUnavailableException.Reason.STORAGE_FULL, "SQLite database "
                        + where + " is full (error while " + action + "); nothing was applied. Free some space and retry."
                        + " (SQLite says: " + e.getMessage() + ")", e);
                default -> new UnexpectedStoreException("SQLite error on database " + where + " while " + action
                        + " (SQLite says: " + e.getMessage() + ")", e);
            };
        }

        @Override
        public void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setString(index, id == null ? null : id.toString());
        }

        @Override
        public UUID getUuid(ResultSet row, int index) throws SQLException {
            String id = row.getString(index);
            return id == null ? null : UUID.fromString(id);
        }

        @Override
        public void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
            statement.setLong(index, ChronoUnit.MICROS.between(Instant.EPOCH, at));
        }

        @Override
        public Instant getInstant(ResultSet row, int index) throws SQLException {
            long micros = row.getLong(index);
            return row.wasNull() ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        }

        /** SQLITE_BUSY or SQLITE_LOCKED, extended codes included. */
        private static boolean isBusy(SQLException e) {
            int code = primaryCode(e);
            return code == 5 || code == 6;
        }

        private static int primaryCode(SQLException e) {
            return e.getErrorCode() > 0 ? e.getErrorCode() & 0xff : -1;
        }

        private static void sleep(long nanos, SQLException busy) throws SQLException {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw busy;
            }
        }
    }

    /** PostgreSQL: {@code uuid} and {@code timestamptz} columns; migrations under a transaction-scoped advisory lock. */
    static final class PostgreSQL extends InboxSql {

        PostgreSQL(String prefix, String where) {
            super(prefix, where);
        }

        @Override
        List<String> createTable(String table) {
            return List.of("CREATE TABLE " + table + " (consumer_group text NOT NULL, event_id uuid NOT NULL,"
                            + " processed_at timestamptz NOT NULL, PRIMARY KEY (consumer_group, event_id))",
                    "CREATE INDEX " + table + "_processed_at ON " + table + " (processed_at)");
        }

        @Override
        boolean tableExists(Connection c, String name) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        }

        /**
         * A migration takes a transaction-scoped advisory lock per schema and prefix, so that
         * inboxes opening at once create the table one after the other.
         */
        @Override
        long deadlineFromNow() {
            return Long.MAX_VALUE;   // PostgreSQL waits for row locks itself (lock_timeout, if the server sets one)
        }

        @Override
        void begin(Connection c, boolean migrating, long deadline) throws SQLException {
            c.setAutoCommit(false);
            if (migrating) {
                String schema;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                    rs.next();
                    schema = rs.getString(1);
                }
                if (schema == null) {
                    throw new SQLException("the connection's search_path names no existing schema; create the schema or"
                            + " fix currentSchema / search_path", "3F000");
                }
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, (0x6576_6962L << 32) | ((schema + "." + prefix + "inbox").hashCode() & 0xffff_ffffL));
                    lock.execute();
                }
            }
        }

        @Override
        void commit(Connection c) throws SQLException {
            c.commit();
            c.setAutoCommit(true);
        }

        @Override
        void rollback(Connection c, Throwable failure) {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }

        @Override
        EventSourceException translate(SQLException e, String action) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String says = " (PostgreSQL says: " + e.getMessage() + ")";
            if (state.equals("40001") || state.equals("40P01") || state.startsWith("08") || state.equals("57P01")
                    || state.equals("55P03")) {
                return new TransientEventStoreException("PostgreSQL " + where + " failed transiently while " + action
                        + " (SQLState " + state + ": serialization failure, deadlock, lock timeout or lost connection);"
                        + " nothing was applied, or, for a lost connection during commit, everything was. Retry the"
                        + " delivery: the inbox applies it at most once." + says, e);
            }
            if (state.equals("42501")) {
                return new StoreUnavailableException(StoreUnavailableException.Reason.ACCESS_DENIED, "The database user"
                        + " may not use the inbox table in " + where + " while " + action + "; grant it SELECT, INSERT and"
                        + " DELETE (and CREATE on the schema for the first start)." + says, e);
            }
            if (state.equals("3F000")) {
                return new StoreUnavailableException(StoreUnavailableException.Reason.DATABASE_MISSING, "PostgreSQL "
                        + where + ": the connection's schema does not exist (while " + action + "); create it or fix"
                        + " currentSchema / search_path." + says, e);
            }
            return new UnexpectedStoreException("PostgreSQL error on " + where + " while " + action + says, e);
        }

        @Override
        public void setUuid(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setObject(index, id);
        }

        @Override
        public UUID getUuid(ResultSet row, int index) throws SQLException {
            return row.getObject(index, UUID.class);
        }

        @Override
        public void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
            statement.setObject(index, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
        }

        @Override
        public Instant getInstant(ResultSet row, int index) throws SQLException {
            OffsetDateTime at = row.getObject(index, OffsetDateTime.class);
            return at == null ? null : at.toInstant();
        }
    }
}
