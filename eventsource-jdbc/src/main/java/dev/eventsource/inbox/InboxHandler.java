package dev.eventsource.inbox;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.StoredEvent;

import java.sql.Connection;

/**
 * The effects of one event on a read model, applied through the {@link Connection} of the
 * transaction in which the {@link Inbox} also records the event as processed: both commit, or
 * neither.
 *
 * <p>The handler must use only the connection it is given (statements on another connection are
 * not part of the transaction and are not de-duplicated), and must not commit, roll back or close
 * it, nor change its auto-commit mode. Throw to fail the delivery: the transaction is rolled back
 * (the effects and the record of the event alike) and the exception reaches the caller as it was,
 * so the bus retries or dead-letters the event.
 *
 * @param <E> the payload type this handler accepts
 */
@FunctionalInterface
public interface InboxHandler<E extends DomainEvent> {

    /** Applies {@code event}, stored as {@code envelope}, through {@code connection}; throw to roll back. */
    void handle(E event, StoredEvent envelope, Connection connection) throws Exception;
}
