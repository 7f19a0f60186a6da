package dev.eventsource.sqlite;

import dev.eventsource.jdbc.JdbcCheckpointStore;

import java.util.Objects;

/**
 * Subscription checkpoints in the same SQLite database as the events of a
 * {@link SQLiteEventStore}, in its {@code subscription_checkpoints} table (created by the store's
 * {@code initialize()}).
 *
 * <p>It opens nothing of its own: it borrows the event store's connections and lives and dies with
 * that store. Writes go through the store's single writer connection under its write lock, so they
 * queue behind appends rather than fight them for SQLite's lock. Being in the events' database, it
 * is a {@link dev.eventsource.subscription.TransactionalCheckpointStore}: a {@code TransactionalProjection}'s handler gets the
 * writer connection inside {@code BEGIN IMMEDIATE}, and its read-model writes commit with the
 * checkpoint or not at all (exactly-once). Appends of this process wait while such a transaction
 * runs, so keep handlers short. Driver errors are translated as the event store translates them.
 * Thread-safe.
 */
public final class SQLiteCheckpointStore extends JdbcCheckpointStore {

    /** Checkpoints beside the events of {@code events}, on its connections. */
    public SQLiteCheckpointStore(SQLiteEventStore events) {
        super(new SQLiteAccess(Objects.requireNonNull(events, "events")));
    }
}
