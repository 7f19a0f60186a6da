package dev.eventsource.jdbc;

import dev.eventsource.EventSourceException;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Schema bootstrap, written once for every SQL backend: the schema has numbered versions,
 * {@code 1} to {@link #latest()}, and the database records which it holds. {@link #migrate}
 * applies the missing ones in order, each exactly once even when several processes bootstrap at
 * the same moment (the version is re-read under a lock that only one of them holds at a time);
 * {@link #requireCurrent} is what a read-only store does instead, since it can create nothing.
 *
 * <p>A backend says how the version is read, how the lock is taken and a version applied, and
 * words its refusals (naming its database, and saying what to do).
 */
public abstract class VersionedSchema {

    private static final System.Logger LOG = System.getLogger(VersionedSchema.class.getName());

    private final int latest;

    /** @param latest the version this library writes and reads */
    protected VersionedSchema(int latest) {
        if (latest < 1) {
            throw new IllegalArgumentException("latest must be at least 1; got " + latest);
        }
        this.latest = latest;
    }

    /** The version this library writes and reads. */
    public final int latest() {
        return latest;
    }

    /**
     * Brings the database to {@link #latest()}; idempotent. An up-to-date database is only read,
     * so it also works where writing is not allowed.
     *
     * @throws EventSourceException from {@link #newer} when the database holds a higher version;
     *                              nothing is changed then
     */
    public final void migrate(Connection c) throws SQLException {
        int found = version(c);
        if (found == latest) {
            return;
        }
        if (found > latest) {
            throw newer(found);
        }
        begin(c);
        try {
            prepare(c);
            int current = version(c);
            if (current > latest) {
                throw newer(current);
            }
            for (int v = current + 1; v <= latest; v++) {
                apply(c, v);
            }
            commit(c);
            if (current == 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "created the event store schema (version " + latest + ") in " + describe());
            } else if (current < latest) {
                LOG.log(System.Logger.Level.INFO, "upgraded the event store schema of " + describe() + " from version "
                        + current + " to " + latest);
            }
        } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
        }
    }

    /**
     * The oldest version a read-only store reads without migrating it: {@link #latest()} unless the
     * steps after it change nothing that reads depend on (e.g. they only drop an index).
     */
    protected int oldestReadable() {
        return latest;
    }

    /** What the log names when this schema is created or upgraded, e.g. the database and table prefix. */
    protected String describe() {
        return getClass().getSimpleName();
    }

    /**
     * Checks, without writing or locking, that the database holds a version this library reads as
     * it is: from {@link #oldestReadable()} to {@link #latest()}.
     *
     * @throws EventSourceException from {@link #notAStore}, {@link #older} or {@link #newer}
     */
    public final void requireCurrent(Connection c) throws SQLException {
        int found = version(c);
        if (found == 0) {
            throw notAStore(c);
        }
        if (found < oldestReadable()) {
            throw older(found);
        }
        if (found > latest) {
            throw newer(found);
        }
    }

    /** The version the database records; 0 when it holds none of the library's tables. Writes nothing. */
    protected abstract int version(Connection c) throws SQLException;

    /** Starts the transaction that migrates, and takes the lock that makes concurrent migrations wait for each other. */
    protected abstract void begin(Connection c) throws SQLException;

    /** Inside the transaction, before the version is re-read: creates what recording a version needs. */
    protected abstract void prepare(Connection c) throws SQLException;

    /** Inside the transaction: takes the schema from {@code version - 1} to {@code version} and records it. */
    protected abstract void apply(Connection c, int version) throws SQLException;

    /** Ends the transaction of {@link #begin}, making every applied version durable at once, and releases the lock. */
    protected abstract void commit(Connection c) throws SQLException;

    /** Rolls back; a failure to do so is kept as suppressed on {@code failure}, which is what the caller sees. */
    protected abstract void rollback(Connection c, Exception failure);

    /** The refusal of a read-only store on a database that holds no event store; it may look at what the database holds. */
    protected abstract EventSourceException notAStore(Connection c) throws SQLException;

    /** The refusal of a read-only store on a database of an older version, which it cannot upgrade. */
    protected abstract EventSourceException older(int found);

    /** The refusal of a database written by a newer library. */
    protected abstract EventSourceException newer(int found);
}
