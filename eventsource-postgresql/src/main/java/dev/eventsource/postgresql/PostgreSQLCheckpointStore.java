package dev.eventsource.postgresql;

import dev.eventsource.jdbc.JdbcCheckpointStore;
import dev.eventsource.store.StoreClosedException;

import java.util.Objects;

/**
 * Subscription checkpoints in the same PostgreSQL schema as the events of a
 * {@link PostgreSQLEventStore}, in its {@code <prefix>subscription_checkpoints} table (created by the
 * store's {@code initialize()}). It borrows the store's {@link javax.sql.DataSource}, schema and
 * prefix, and refuses every call with {@link StoreClosedException} once that store is closed.
 *
 * <p>A {@link dev.eventsource.subscription.TransactionalCheckpointStore}: for a {@code TransactionalProjection}, one pooled
 * connection runs the handler's statements and the checkpoint upsert in one transaction, so the
 * read model and the checkpoint commit together or not at all (exactly-once). Driver errors are
 * translated as the event store translates them; a handler's own exception is rethrown as it was,
 * after the rollback. Thread-safe.
 */
public final class PostgreSQLCheckpointStore extends JdbcCheckpointStore {

    /** Checkpoints beside the events of {@code events}, through its data source. */
    public PostgreSQLCheckpointStore(PostgreSQLEventStore events) {
        super(new PostgreSQLAccess(Objects.requireNonNull(events, "events")));
    }
}
