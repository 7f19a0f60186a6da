package dev.eventsource.jdbc;

import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoreObserver;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.subscription.TransactionalCheckpointStore.TransactionWork;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * How a shared store reaches the database of the event store it lives beside: each backend says
 * how a connection and a transaction are obtained (SQLite through its single writer connection
 * under the write lock, PostgreSQL through the pool) and translates driver errors the way its
 * event store does. A shared store never opens anything of its own, so it lives and dies with
 * that event store.
 *
 * <p>Subclasses implement the three ways of running work; {@link #ensureSchema()}, the one
 * lazy schema bootstrap of every shared store, is written here once.
 */
public abstract class JdbcAccess {

    /** Work on a connection; a {@link SQLException} it throws is translated by the backend. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final SqlDialect dialect;
    private final AbstractEventStore events;
    private final String where;
    private volatile boolean ready;

    /**
     * @param dialect the backend's SQL dialect
     * @param events  the event store whose database the shared stores use; it creates their tables
     * @param where   how the shared stores name their place in {@code toString()}, e.g. the database file
     */
    protected JdbcAccess(SqlDialect dialect, AbstractEventStore events, String where) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.events = Objects.requireNonNull(events, "events");
        this.where = Objects.requireNonNull(where, "where");
    }

    /** Runs work that writes nothing; driver errors come out translated. */
    protected abstract <T> T read(String action, SqlWork<T> work);

    /** Runs one autocommit write; refuses it if the backend's store is read-only; driver errors come out translated. */
    protected abstract <T> T write(String action, SqlWork<T> work);

    /**
     * Runs {@code work} in one transaction: commits when it returns, rolls back and rethrows when it
     * throws. A driver error comes out translated; any other exception of the work as it was.
     */
    protected abstract void inTransaction(String action, TransactionWork work) throws Exception;

    /** Work observed as one database operation; may throw what the work throws. */
    @FunctionalInterface
    interface ObservedWork<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} inside a database client span of the event store's telemetry
     * ({@link AbstractEventStore#observeOperation}), e.g. {@code ("upsert", "subscription_checkpoints")};
     * {@code rows} turns the result into the span's row count ({@code -1} for none).
     */
    final <T> T observed(String operation, String collection, java.util.function.ToIntFunction<T> rows,
                         ObservedWork<T> work) throws Exception {
        StoreObserver.Observation seen = events.observeOperation(operation, collection);
        T result;
        try {
            result = work.run();
        } catch (Exception | Error e) {
            seen.failed(e);
            throw e;
        }
        seen.succeeded(rows.applyAsInt(result));
        return result;
    }

    /** {@link #observed} for work that throws no checked exception. */
    final <T> T observedUnchecked(String operation, String collection, java.util.function.ToIntFunction<T> rows,
                                  java.util.function.Supplier<T> work) {
        try {
            return observed(operation, collection, rows, work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unreachable: the work throws no checked exception", e);
        }
    }

    final SqlDialect dialect() {
        return dialect;
    }

    /**
     * Refuses every call once the event store is closed (a data source the caller owns outlives the
     * store; its shared stores must not), and initializes the event store once, since their
     * tables come with its schema.
     *
     * @throws StoreClosedException after the event store was closed
     */
    final void ensureSchema() {
        if (events.isClosed()) {
            throw new StoreClosedException(events.toString());
        }
        if (!ready) {
            events.initialize();
            ready = true;
        }
    }

    @Override
    public String toString() {
        return where;
    }
}
