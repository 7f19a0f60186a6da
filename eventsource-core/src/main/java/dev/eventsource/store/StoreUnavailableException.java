package dev.eventsource.store;

import dev.eventsource.EventSourceException;

import java.util.Objects;

/**
 * The store cannot be used as it is configured, or its storage refuses the operation, and trying
 * again will not help until someone changes the configuration or the machine: {@link #reason()}
 * says which. Nothing of the failed operation was written.
 *
 * <p>Transient failures (a locked database, a lost or refused connection, a pool with no free
 * connection) are {@link TransientEventStoreException}s instead. A full disk and a read-only file
 * system are here, not there: they last until space is freed or the mount is changed, so a retry
 * loop would only spin.
 */
public class StoreUnavailableException extends EventSourceException {

    /** Why the store cannot be used; each says what to change. */
    public enum Reason {
        /** The server refused the user or password (or the user may not log in): fix the credentials. */
        CREDENTIALS_REFUSED,
        /**
         * The database (PostgreSQL) or the database file (a SQLite store opened read-only) does not
         * exist: create it, or fix the URL or path.
         */
        DATABASE_MISSING,
        /** The database user lacks a privilege, or the process lacks permission on the file: grant it. */
        ACCESS_DENIED,
        /** The database file cannot be opened: its folder is missing, or the path is a directory. */
        CANNOT_OPEN,
        /** The database or its file system is read-only for this process: make it writable. */
        READ_ONLY,
        /** The disk or the database's size limit is full: free space; events stored before are intact. */
        STORAGE_FULL,
        /** The operating system reported an I/O error on the database's files: check the disk. */
        IO_ERROR,
        /** No backend on the class path opens the store's URL as asked: fix the URL or add the backend module. */
        NO_BACKEND
    }

    private final Reason reason;

    /**
     * @param reason  why the store cannot be used
     * @param message names the store, what failed and what to change
     * @param cause   the driver's exception, or {@code null} when the library found the problem itself
     */
    public StoreUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the store cannot be used. */
    public Reason reason() {
        return reason;
    }
}
