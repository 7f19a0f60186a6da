package dev.eventsource.jdbc;

import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.TransactionalCheckpointStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Subscription checkpoints in the {@code subscription_checkpoints} table beside a SQL event
 * store, written once for every SQL backend; a backend's checkpoint store is a subclass that
 * supplies its {@link JdbcAccess} (e.g. {@code SQLiteCheckpointStore}, {@code PostgreSQLCheckpointStore}).
 *
 * <p>One row per subscription name, replaced by {@link #save}; {@link #findAll} orders by name
 * by code point on every backend. Being in the events' database it is a
 * {@link TransactionalCheckpointStore}: a projection's statements and the checkpoint commit in one
 * transaction or not at all, and the work's own exception is rethrown as it was after the
 * rollback. Every call refuses with {@code StoreClosedException} once the event store is closed.
 * Thread-safe.
 */
public abstract class JdbcCheckpointStore implements TransactionalCheckpointStore {

    private final JdbcAccess access;
    private final String upsert;
    private final String select;
    private final String delete;
    private final String insertIfAbsent;
    private final String updateIfUnchanged;
    private final String orderByName;
    private final String table;

    /** Checkpoints in the database {@code access} reaches. */
    protected JdbcCheckpointStore(JdbcAccess access) {
        this.access = Objects.requireNonNull(access, "access");
        SqlDialect dialect = access.dialect();
        String table = dialect.table("subscription_checkpoints");
        this.table = table;
        this.upsert = "INSERT INTO " + table + " (subscription, position, events_processed, last_event_id, last_event_type,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (subscription) DO UPDATE SET"
                + " position = excluded.position, events_processed = excluded.events_processed,"
                + " last_event_id = excluded.last_event_id, last_event_type = excluded.last_event_type,"
                + " updated_at = excluded.updated_at";
        this.select = "SELECT subscription, position, events_processed, last_event_id, last_event_type, updated_at FROM "
                + table;
        this.delete = "DELETE FROM " + table + " WHERE subscription = ?";
        this.insertIfAbsent = "INSERT INTO " + table + " (subscription, position, events_processed, last_event_id,"
                + " last_event_type, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (subscription) DO NOTHING";
        this.updateIfUnchanged = "UPDATE " + table + " SET position = ?, events_processed = ?, last_event_id = ?,"
                + " last_event_type = ?, updated_at = ? WHERE subscription = ? AND position = ? AND events_processed = ?"
                + " AND updated_at = ?";
        this.orderByName = " ORDER BY " + dialect.binaryOrder("subscription");
    }

    @Override
    public Optional<Checkpoint> find(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        access.ensureSchema();
        return access.read("read the checkpoint of " + subscription, c -> {
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
        access.ensureSchema();
        access.observedUnchecked("upsert", table, n -> -1,
                () -> access.write("save the checkpoint of " + checkpoint.subscription(), c -> upsert(c, checkpoint)));
    }

    /**
     * Compares and saves in one statement: an {@code UPDATE} whose {@code WHERE} names the expected
     * position, events processed and save time, or an {@code INSERT ... ON CONFLICT DO NOTHING} when
     * none is expected.
     */
    @Override
    public boolean saveIfUnchanged(Checkpoint expected, Checkpoint next) {
        CheckpointStore.checkSameSubscription(expected, next);
        access.ensureSchema();
        SqlDialect dialect = access.dialect();
        return access.observedUnchecked("upsert", table, n -> -1, () -> access.write("save the checkpoint of "
                + next.subscription() + " if unchanged", c -> {
            if (expected == null) {
                return write(c, insertIfAbsent, next) == 1;
            }
            try (PreparedStatement s = c.prepareStatement(updateIfUnchanged)) {
                s.setLong(1, next.position());
                s.setLong(2, next.eventsProcessed());
                dialect.setUuid(s, 3, next.lastEventId());
                s.setString(4, next.lastEventType());
                dialect.setInstant(s, 5, next.updatedAt());
                s.setString(6, next.subscription());
                s.setLong(7, expected.position());
                s.setLong(8, expected.eventsProcessed());
                dialect.setInstant(s, 9, expected.updatedAt());
                return s.executeUpdate() == 1;
            }
        }));
    }

    @Override
    public boolean reset(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        access.ensureSchema();
        return access.write("reset the checkpoint of " + subscription, c -> delete(c, subscription));
    }

    @Override
    public List<Checkpoint> findAll() {
        access.ensureSchema();
        return access.read("read the checkpoints", c -> {
            List<Checkpoint> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(select + orderByName); ResultSet rs = s.executeQuery()) {
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
        access.ensureSchema();
        // One span for the transaction: the projection's statements and the checkpoint commit together.
        access.observed(checkpoint == null ? "transaction" : "upsert", table, n -> -1, () -> {
            access.inTransaction(checkpoint == null ? "run a projection's transaction"
                    : "save the checkpoint of " + checkpoint.subscription() + " with its read model", c -> {
                work.run(c);
                if (checkpoint != null) {
                    upsert(c, checkpoint);
                }
            });
            return null;
        });
    }

    @Override
    public void resetInTransaction(String subscription, TransactionWork work) throws Exception {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(work, "work");
        access.ensureSchema();
        access.inTransaction("reset " + subscription + " and its read model", c -> {
            work.run(c);
            delete(c, subscription);
        });
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + access + ")";
    }

    private int upsert(Connection c, Checkpoint checkpoint) throws SQLException {
        return write(c, upsert, checkpoint);
    }

    /** Runs {@code sql}, an insert of every column in table order, for {@code checkpoint}. */
    private int write(Connection c, String sql, Checkpoint checkpoint) throws SQLException {
        SqlDialect dialect = access.dialect();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, checkpoint.subscription());
            s.setLong(2, checkpoint.position());
            s.setLong(3, checkpoint.eventsProcessed());
            dialect.setUuid(s, 4, checkpoint.lastEventId());
            s.setString(5, checkpoint.lastEventType());
            dialect.setInstant(s, 6, checkpoint.updatedAt());
            return s.executeUpdate();
        }
    }

    private boolean delete(Connection c, String subscription) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(delete)) {
            s.setString(1, subscription);
            return s.executeUpdate() > 0;
        }
    }

    private Checkpoint checkpoint(ResultSet rs) throws SQLException {
        SqlDialect dialect = access.dialect();
        return new Checkpoint(rs.getString(1), rs.getLong(2), rs.getLong(3), dialect.getUuid(rs, 4), rs.getString(5),
                dialect.getInstant(rs, 6));
    }
}
