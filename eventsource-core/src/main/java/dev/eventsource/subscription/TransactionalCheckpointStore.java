package dev.eventsource.subscription;

import java.sql.Connection;

/**
 * A {@link CheckpointStore} in a SQL database that can run work in the transaction that writes a
 * checkpoint: what {@link TransactionalProjection}s need for exactly-once read models.
 */
public interface TransactionalCheckpointStore extends CheckpointStore {

    /** Work done inside the checkpoint's transaction. */
    @FunctionalInterface
    interface TransactionWork {
        void run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} and then saves {@code checkpoint} in one transaction, committing both or,
     * if either throws, neither. A {@code null} checkpoint runs the work alone in a transaction.
     * The work's exception is rethrown as it was.
     */
    void saveInTransaction(Checkpoint checkpoint, TransactionWork work) throws Exception;

    /** Runs {@code work} and then forgets the subscription's checkpoint, in one transaction. */
    void resetInTransaction(String subscription, TransactionWork work) throws Exception;
}
