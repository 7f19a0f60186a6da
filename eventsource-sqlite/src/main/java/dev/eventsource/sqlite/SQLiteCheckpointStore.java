package dev.eventsource.sqlite;

import dev.eventsource.sqlite.internal.EventQueries;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.TransactionalCheckpointStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Subscription checkpoints in the same SQLite database as the events of a
 * {@link SQLiteEventStore}, in its {@code subscription_checkpoints} table (created by the store's
 * {@code initialize()}).
 *
 * <p>It opens nothing of its own: it borrows the event store's connections and lives and dies with
 * that store. Writes go through the store's single writer connection under its write lock, so they
 * queue behind appends rather than fight them for SQLite's lock. Being in the events' database, it
 * is a {@link TransactionalCheckpointStore}: a {@code TransactionalProjection}'s handler gets the
 * writer connection inside {@code BEGIN IMMEDIATE}, and its read-model writes commit with the
 * checkpoint or not at all (exactly-once). Appends of this process wait while such a transaction
 * runs, so keep handlers short. Driver errors are translated as the event store translates them.
 * Thread-safe.
 */
public final class SQLiteCheckpointStore implements TransactionalCheckpointStore {

    private static final String UPSERT = "INSERT INTO subscription_checkpoints (subscription, position, events_processed,"
            + " last_event_id, last_event_type, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (subscription) DO UPDATE SET"
            + " position = excluded.position, events_processed = excluded.events_processed,"
            + " last_event_id = excluded.last_event_id, last_event_type = excluded.last_event_type,"
            + " updated_at = excluded.updated_at";
    private static final String COLUMNS = "SELECT subscription, position, events_processed, last_event_id, last_event_type,"
            + " updated_at FROM subscription_checkpoints";
    private static final String DELETE = "DELETE FROM subscription_checkpoints WHERE subscription = ?";

    private final SQLiteEventStore events;
    private volatile boolean ready;

    /** Checkpoints beside the events of {@code events}, on its connections. */
    public SQLiteCheckpointStore(SQLiteEventStore events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public Optional<Checkpoint> find(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return events.read("reading the checkpoint of " + subscription, c -> {
            try (PreparedStatement query = c.prepareStatement(COLUMNS + " WHERE subscription = ?")) {
                query.setString(1, subscription);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void save(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        ensureSchema();
        events.write("saving the checkpoint of " + checkpoint.subscription(), c -> upsert(c, checkpoint));
    }

    @Override
    public boolean reset(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return events.write("resetting the checkpoint of " + subscription, c -> delete(c, subscription));
    }

    @Override
    public List<Checkpoint> findAll() {
        ensureSchema();
        return events.read("reading the checkpoints", c -> {
            List<Checkpoint> all = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(COLUMNS + " ORDER BY subscription");
                 ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    all.add(checkpoint(rs));
                }
            }
            return all;
        });
    }

    @Override
    public void saveInTransaction(Checkpoint checkpoint, TransactionWork work) throws Exception {
        Objects.requireNonNull(work, "work");
        String what = checkpoint == null ? "running a projection's transaction" : "saving the checkpoint of "
                + checkpoint.subscription() + " with its read model";
        inTransaction(what, c -> {
            work.run(c);
            if (checkpoint != null) {
                upsert(c, checkpoint);
            }
        });
    }

    @Override
    public void resetInTransaction(String subscription, TransactionWork work) throws Exception {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(work, "work");
        inTransaction("resetting " + subscription + " and its read model", c -> {
            work.run(c);
            delete(c, subscription);
        });
    }

    @Override
    public String toString() {
        return "SQLiteCheckpointStore(" + events.database() + ")";
    }

    /**
     * Runs {@code work} in {@code BEGIN IMMEDIATE ... COMMIT} on the writer connection under the
     * store's write lock; rolls back and rethrows the work's own exception when it fails.
     */
    private void inTransaction(String action, TransactionWork work) throws Exception {
        ensureSchema();
        Exception[] failure = new Exception[1];
        events.write(action, c -> {
            try (Statement control = c.createStatement()) {
                control.execute("BEGIN IMMEDIATE");
                try {
                    work.run(c);
                    control.execute("COMMIT");
                } catch (Exception e) {
                    rollback(control, e);
                    if (e instanceof SQLException sql) {
                        throw sql;
                    }
                    failure[0] = e;
                }
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void rollback(Statement control, Exception failure) {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite has already rolled back after some errors; then there is nothing to undo.
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                failure.addSuppressed(e);
            }
        }
    }

    private static int upsert(Connection c, Checkpoint checkpoint) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
            upsert.setString(1, checkpoint.subscription());
            upsert.setLong(2, checkpoint.position());
            upsert.setLong(3, checkpoint.eventsProcessed());
            upsert.setString(4, checkpoint.lastEventId() == null ? null : checkpoint.lastEventId().toString());
            upsert.setString(5, checkpoint.lastEventType());
            upsert.setLong(6, EventQueries.micros(checkpoint.updatedAt()));
            return upsert.executeUpdate();
        }
    }

    private static boolean delete(Connection c, String subscription) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(DELETE)) {
            delete.setString(1, subscription);
            return delete.executeUpdate() > 0;
        }
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        String lastId = rs.getString(4);
        return new Checkpoint(rs.getString(1), rs.getLong(2), rs.getLong(3), lastId == null ? null : UUID.fromString(lastId),
                rs.getString(5), EventQueries.instant(rs.getLong(6)));
    }

    /** The table comes with the event store's schema, so the first use initializes the store as its own first use would. */
    private void ensureSchema() {
        if (!ready) {
            events.initialize();
            ready = true;
        }
    }
}
