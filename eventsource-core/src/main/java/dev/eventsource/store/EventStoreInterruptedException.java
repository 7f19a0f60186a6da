package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * The calling thread was interrupted before its operation reached the database (while it waited
 * for a lock, a connection or its turn to write). Nothing was written. The thread's interrupt flag
 * is still set, so code above can see the interrupt and stop. An interrupt that arrives once an
 * append may already be committing is reported as {@link AppendOutcomeUnknownException} instead.
 */
public class EventStoreInterruptedException extends EventSourceException {

    public EventStoreInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
