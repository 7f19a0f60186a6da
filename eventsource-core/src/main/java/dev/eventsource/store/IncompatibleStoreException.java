package dev.eventsource.store;

import dev.eventsource.EventSourceException;

import java.util.Objects;

/**
 * The database was reached, but it is not an event store this library can use: not a database at
 * all, damaged, another application's database, or written by a newer version of this library.
 * {@link #kind()} says which. The store wrote nothing to it; retrying will not help.
 */
public class IncompatibleStoreException extends EventSourceException {

    /** What is wrong with the database; each says what to do. */
    public enum Kind {
        /** The file is not a SQLite database: point the store at an event store file or a new path. */
        NOT_A_DATABASE,
        /** The database reports damage to its pages or indexes: restore it from a backup. */
        CORRUPT,
        /** The database holds another application's tables and no event store: check the path or URL. */
        NOT_AN_EVENT_STORE,
        /** The event store schema is newer than this library knows: upgrade the library. */
        NEWER_SCHEMA
    }

    private final Kind kind;

    /**
     * @param kind    what is wrong with the database
     * @param message names the database, what was found and what to do
     * @param cause   the driver's exception, or {@code null} when the library found the problem itself
     */
    public IncompatibleStoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What is wrong with the database. */
    public Kind kind() {
        return kind;
    }
}
