package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

import java.sql.Connection;
import java.util.Set;

/**
 * A projection whose read model lives in the same SQL database as the events, updated
 * <b>exactly once</b>: each handler call gets the {@link Connection} of a transaction in which the
 * {@link TransactionalCheckpointStore} also writes the checkpoint, so the read model and the
 * checkpoint commit together or not at all; a crash in between is impossible.
 *
 * <p>The handler must use only the connection it is given, must not commit, roll back or close it,
 * nor change its auto-commit mode. Subscribe it with a {@link SubscriptionManager} whose checkpoint
 * store is transactional (e.g. {@code SQLiteCheckpointStore}, {@code PostgreSQLCheckpointStore});
 * the manager refuses it otherwise.
 */
public interface TransactionalProjection {

    /** Applies {@code event} to the read model through {@code connection}. */
    void handle(StoredEvent event, Connection connection) throws Exception;

    /** Empties the read model through {@code connection}; the checkpoint is reset in the same transaction. */
    void reset(Connection connection) throws Exception;

    /** The event type names this projection handles; empty for all. */
    default Set<String> eventTypes() {
        return Set.of();
    }

    /** The aggregate types this projection handles; empty for all. */
    default Set<String> aggregateTypes() {
        return Set.of();
    }
}
