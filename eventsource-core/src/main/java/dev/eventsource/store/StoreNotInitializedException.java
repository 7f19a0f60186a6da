package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * The database holds no event store schema, or an older version of it, and this store may not
 * create or upgrade it: the store was opened read-only, or the tables were removed (or the
 * schema or table prefix changed) after the store initialized. A writable store creates and
 * upgrades its schema itself on first use, so it meets this only in the second case.
 *
 * <p>Nothing was written. Call {@code initialize()} on a writable store, or apply the backend's
 * {@code schemaSql(...)}, for this database, schema and table prefix.
 */
public class StoreNotInitializedException extends EventSourceException {

    /**
     * @param message names the database (and schema and prefix where they apply) and what to do
     * @param cause   the driver's exception, or {@code null} when the library found the problem itself
     */
    public StoreNotInitializedException(String message, Throwable cause) {
        super(message, cause);
    }
}
