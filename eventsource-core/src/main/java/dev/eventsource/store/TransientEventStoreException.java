package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * The store failed for a reason that passes by itself, so the same call may succeed when made
 * again: the database was locked or busy ({@link EventStoreBusyException}), a transaction lost a
 * serialization check or a deadlock, the connection was lost or refused, or no pooled connection
 * became free in time. Backends throw subclasses that say which (PostgreSQL's
 * {@code TransientStoreException} carries the SQLState).
 *
 * <p>What a retry may rely on: the operation wrote nothing, or, when a connection was lost while
 * an append was committing, the append is stored or not and a retry with the same event ids is
 * recognised as a retry (see {@code docs/semantics.md}, "Appending"). An append whose events carry
 * fresh ids on each attempt should expect a version: then a first attempt that was stored makes
 * the retry an {@link OptimisticLockException} instead of a second copy.
 *
 * <p>A server that cannot be reached at all is reported here too: from the client a server that is
 * restarting and one at a wrong address look the same, so bound the retries. What does not pass
 * by itself (refused credentials, a missing database, a full disk, a read-only file) is a
 * {@link StoreUnavailableException}. Not here either: {@link AppendOutcomeUnknownException}, which
 * must be retried with the same event ids, never blindly, and {@link EventStoreInterruptedException},
 * which asks the caller to stop.
 */
public class TransientEventStoreException extends EventSourceException {

    /**
     * @param message what failed, why it may pass, and what to do
     * @param cause   the driver's exception, or {@code null} when the time ran out before the database was asked
     */
    public TransientEventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
