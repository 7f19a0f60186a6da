package dev.eventsource.postgresql;

import dev.eventsource.postgresql.internal.PgErrors;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.TransactionalCheckpointStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Subscription checkpoints in the same PostgreSQL schema as the events of a
 * {@link PostgreSQLEventStore}, in its {@code <prefix>subscription_checkpoints} table (created by the
 * store's {@code initialize()}). It borrows the store's {@link javax.sql.DataSource}, schema and
 * prefix, and refuses every call with {@link StoreClosedException} once that store is closed.
 *
 * <p>A {@link TransactionalCheckpointStore}: for a {@code TransactionalProjection}, one pooled
 * connection runs the handler's statements and the checkpoint upsert in one transaction, so the
 * read model and the checkpoint commit together or not at all (exactly-once). Driver errors are
 * translated as the event store translates them; a handler's own exception is rethrown as it was,
 * after the rollback. Thread-safe.
 */
public final class PostgreSQLCheckpointStore implements TransactionalCheckpointStore {

    private final PostgreSQLEventStore events;
    private final String upsert;
    private final String select;
    private final String delete;
    private volatile boolean ready;

    /** Checkpoints beside the events of {@code events}, through its data source. */
    public PostgreSQLCheckpointStore(PostgreSQLEventStore events) {
        this.events = Objects.requireNonNull(events, "events");
        // Both names were validated by the event store's builder; nothing else reaches SQL text.
        String table = events.schema() + "." + events.tablePrefix() + "subscription_checkpoints";
        this.upsert = "INSERT INTO " + table + " (subscription, position, events_processed, last_event_id, last_event_type,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (subscription) DO UPDATE SET"
                + " position = excluded.position, events_processed = excluded.events_processed,"
                + " last_event_id = excluded.last_event_id, last_event_type = excluded.last_event_type,"
                + " updated_at = excluded.updated_at";
        this.select = "SELECT subscription, position, events_processed, last_event_id, last_event_type, updated_at FROM "
                + table;
        this.delete = "DELETE FROM " + table + " WHERE subscription = ?";
    }

    @Override
    public Optional<Checkpoint> find(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return events.run("read the checkpoint of " + subscription, c -> {
            try (PreparedStatement s = c.prepareStatement(select + " WHERE subscription = ?")) {
                s.setString(1, subscription);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void save(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        ensureSchema();
        events.run("save the checkpoint of " + checkpoint.subscription(), c -> upsert(c, checkpoint));
    }

    @Override
    public boolean reset(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return events.run("reset the checkpoint of " + subscription, c -> delete(c, subscription));
    }

    @Override
    public List<Checkpoint> findAll() {
        ensureSchema();
        return events.run("read the checkpoints", c -> {
            List<Checkpoint> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(select + " ORDER BY subscription COLLATE \"C\"");
                 ResultSet rs = s.executeQuery()) {
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
        inTransaction(checkpoint == null ? "run a projection's transaction"
                : "save the checkpoint of " + checkpoint.subscription() + " with its read model", c -> {
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
        inTransaction("reset " + subscription + " and its read model", c -> {
            work.run(c);
            delete(c, subscription);
        });
    }

    @Override
    public String toString() {
        return "PostgreSQLCheckpointStore(" + events + ")";
    }

    private void inTransaction(String action, TransactionWork work) throws Exception {
        ensureSchema();
        try (Connection c = events.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (Exception e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PgErrors.translate(events.toString(), action, e);
        }
    }

    private int upsert(Connection c, Checkpoint checkpoint) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(upsert)) {
            s.setString(1, checkpoint.subscription());
            s.setLong(2, checkpoint.position());
            s.setLong(3, checkpoint.eventsProcessed());
            s.setObject(4, checkpoint.lastEventId());
            s.setString(5, checkpoint.lastEventType());
            s.setObject(6, OffsetDateTime.ofInstant(checkpoint.updatedAt().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            return s.executeUpdate();
        }
    }

    private boolean delete(Connection c, String subscription) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(delete)) {
            s.setString(1, subscription);
            return s.executeUpdate() > 0;
        }
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getObject(4, UUID.class), rs.getString(5),
                rs.getObject(6, OffsetDateTime.class).toInstant());
    }

    private void ensureSchema() {
        if (events.isClosed()) {
            throw new StoreClosedException(events.toString());
        }
        if (!ready) {
            events.initialize();
            ready = true;
        }
    }
}
