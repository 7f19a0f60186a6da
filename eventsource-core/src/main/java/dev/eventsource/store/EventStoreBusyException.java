package dev.eventsource.store;

import java.time.Duration;

/**
 * The store could not get the lock it needed within its busy timeout (for SQLite: another
 * connection or process held the database's write lock). Nothing was written; the operation may
 * be retried, as every {@link TransientEventStoreException} may.
 */
public class EventStoreBusyException extends TransientEventStoreException {

    private final Duration busyTimeout;

    public EventStoreBusyException(String message, Duration busyTimeout, Throwable cause) {
        super(message, cause);
        this.busyTimeout = busyTimeout;
    }

    /** How long the store waited before giving up. */
    public Duration busyTimeout() {
        return busyTimeout;
    }
}
