package dev.eventsource.sqlite.internal;

import dev.eventsource.EventSourceException;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.IncompatibleStoreException.Kind;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoreUnavailableException.Reason;
import dev.eventsource.store.UnexpectedStoreException;
import dev.eventsource.store.StreamId;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The one place where SQLite driver errors become library exceptions, keyed by SQLite's primary
 * result code. Every translated exception names the database and what the store was doing, says
 * what to do about it, and keeps the driver exception as its cause.
 */
public final class SQLiteErrors {

    private final String database;
    private final Duration busyTimeout;

    /**
     * @param database    the database as the user gave it (a path or {@code ":memory:"})
     * @param busyTimeout the store's busy timeout, reported by {@link EventStoreBusyException}
     */
    public SQLiteErrors(String database, Duration busyTimeout) {
        this.database = database;
        this.busyTimeout = busyTimeout;
    }

    /** SQLite's primary result code of {@code e} (the low byte of an extended code), or -1 if it has none. */
    public static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().code & 0xff;
        }
        return e.getErrorCode() > 0 ? e.getErrorCode() & 0xff : -1;
    }

    /** True for a UNIQUE or PRIMARY KEY constraint violation. */
    public static boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        return false;
    }

    /**
     * Translates an error raised while appending to {@code stream}: a uniqueness race on the stream's
     * versions is the optimistic-concurrency conflict it stands for; anything else goes to
     * {@link #translate}.
     */
    public EventSourceException translateAppend(SQLException e, StreamId stream, ExpectedVersion expected,
                                                long actualVersion) {
        if (isUniqueViolation(e)) {
            OptimisticLockException conflict = new OptimisticLockException(stream.aggregateId(), stream.aggregateType(),
                    expected, actualVersion);
            conflict.initCause(e);
            return conflict;
        }
        return translate(e, "appending to " + stream);
    }

    /**
     * Translates a driver error.
     *
     * @param action what the store was doing, e.g. {@code "opening the database"}, for the message
     */
    public EventSourceException translate(SQLException e, String action) {
        String says = " (SQLite says: " + e.getMessage() + ")";
        switch (primaryCode(e)) {
            case 5, 6 -> {
                return busy(action, e);
            }
            case 26 -> {
                return new IncompatibleStoreException(Kind.NOT_A_DATABASE, database + " is not a SQLite database, so it"
                        + " cannot hold events (error while " + action + "). The file was not changed; point the store at"
                        + " a new file or at an event store database." + says, e);
            }
            case 11 -> {
                return new IncompatibleStoreException(Kind.CORRUPT, "SQLite database " + database + " is corrupt (error"
                        + " while " + action + "). Restore it from a backup; this store will not write to it." + says, e);
            }
            case 8 -> {
                return new StoreUnavailableException(Reason.READ_ONLY, "SQLite database " + database + " is read-only for"
                        + " this process (error while " + action + "); nothing was written. Make the file and its folder"
                        + " writable (WAL mode also creates " + database + "-wal and -shm beside it)." + says, e);
            }
            case 13 -> {
                return new StoreUnavailableException(Reason.STORAGE_FULL, "SQLite database " + database + " is full: the"
                        + " disk has no space left or the database reached its size limit (error while " + action + ")."
                        + " This operation wrote nothing; events stored before are intact. Free some space and retry."
                        + says, e);
            }
            case 14 -> {
                return new StoreUnavailableException(Reason.CANNOT_OPEN, "Cannot open SQLite database " + database + ": "
                        + cannotOpenReason() + " (error while " + action + ")." + says, e);
            }
            case 3 -> {
                return new StoreUnavailableException(Reason.ACCESS_DENIED, "SQLite was denied access to database "
                        + database + " (error while " + action + "); nothing was written. Check the permissions of the"
                        + " file and its folder." + says, e);
            }
            case 10 -> {
                return new StoreUnavailableException(Reason.IO_ERROR, "I/O error on SQLite database " + database
                        + " while " + action + "; nothing of this operation was written. Check the disk and the file's"
                        + " permissions." + says, e);
            }
            default -> {
                return new UnexpectedStoreException("SQLite error on database " + database + " while " + action + says, e);
            }
        }
    }

    /**
     * The store could not get the database's write lock within the busy timeout while doing
     * {@code action}; {@code cause} is the driver's {@code SQLITE_BUSY}, or {@code null} when the
     * time ran out before the database was asked.
     */
    public EventStoreBusyException busy(String action, SQLException cause) {
        return new EventStoreBusyException("SQLite database " + database + " is locked by another connection"
                + " or process; gave up after the busy timeout of " + busyTimeout.toMillis() + " ms while "
                + action + ". Nothing was written; retry, or configure a longer busyTimeout."
                + (cause == null ? "" : " (SQLite says: " + cause.getMessage() + ")"), busyTimeout, cause);
    }

    private String cannotOpenReason() {
        Path path = Path.of(database).toAbsolutePath();
        Path folder = path.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            return "its folder " + folder + " does not exist; create it first";
        }
        if (Files.isDirectory(path)) {
            return "it is a directory; give the path of a database file inside it, e.g. " + path.resolve("events.db");
        }
        return "check that the file and its folder " + folder + " are readable and writable by this process";
    }
}
