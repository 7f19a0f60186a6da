package dev.eventsource.sqlite;

import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.sqlite.internal.EventQueries;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Snapshots in the same SQLite database as the events of a {@link SQLiteEventStore}, in its
 * {@code snapshots} table (created by the store's {@code initialize()}):
 *
 * <pre>{@code
 * SQLiteEventStore store = new SQLiteEventStore("./events.db");
 * var accounts = AggregateRepository.builder(store, Account::new, "Account")
 *         .snapshots(new SQLiteSnapshotStore(store))
 *         .snapshotPolicy(SnapshotPolicy.everyEvents(100))
 *         .build();
 * }</pre>
 *
 * <p>It opens nothing of its own: it borrows the event store's connections, so it lives and dies
 * with that store (after {@code store.close()} every call throws
 * {@link dev.eventsource.store.StoreClosedException}) and works on {@code ":memory:"} too. Writes
 * go through the store's single writer connection, one short autocommit statement each, so within
 * the process they queue behind appends rather than fight them for SQLite's write lock; reads use
 * the reader connections. State is stored as the JSON text it was given; {@code takenAt} is kept
 * to the microsecond, like the events' times. {@link #save} never replaces a snapshot of a higher
 * version. Driver errors are translated as the event store translates them. Thread-safe.
 */
public final class SQLiteSnapshotStore implements SnapshotStore {

    private static final String UPSERT = "INSERT INTO snapshots (aggregate_type, aggregate_id, version, schema_version,"
            + " state, taken_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET"
            + " version = excluded.version, schema_version = excluded.schema_version, state = excluded.state,"
            + " taken_at = excluded.taken_at WHERE excluded.version >= snapshots.version";
    private static final String FIND = "SELECT version, schema_version, state, taken_at FROM snapshots"
            + " WHERE aggregate_type = ? AND aggregate_id = ?";
    private static final String DELETE = "DELETE FROM snapshots WHERE aggregate_type = ? AND aggregate_id = ?";
    private static final String DELETE_TYPE = "DELETE FROM snapshots WHERE aggregate_type = ?";
    private static final String DELETE_BELOW = "DELETE FROM snapshots WHERE aggregate_type = ? AND schema_version < ?";

    private final SQLiteEventStore events;
    private volatile boolean ready;

    /** Snapshots beside the events of {@code events}, on its connections. */
    public SQLiteSnapshotStore(SQLiteEventStore events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        ensureSchema();
        events.write("saving the snapshot of " + snapshot.aggregateType() + " " + snapshot.aggregateId(), c -> {
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                upsert.setString(1, snapshot.aggregateType());
                upsert.setString(2, snapshot.aggregateId().toString());
                upsert.setLong(3, snapshot.version());
                upsert.setInt(4, snapshot.schemaVersion());
                upsert.setString(5, snapshot.stateJson());
                upsert.setLong(6, EventQueries.micros(snapshot.takenAt()));
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Snapshot> find(UUID aggregateId, String aggregateType) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.read("reading the snapshot of " + aggregateType + " " + aggregateId, c -> {
            try (PreparedStatement query = c.prepareStatement(FIND)) {
                query.setString(1, aggregateType);
                query.setString(2, aggregateId.toString());
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Snapshot(aggregateId, aggregateType, rs.getLong(1), rs.getInt(2),
                            rs.getString(3), EventQueries.instant(rs.getLong(4))));
                }
            }
        });
    }

    @Override
    public boolean delete(UUID aggregateId, String aggregateType) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.write("deleting the snapshot of " + aggregateType + " " + aggregateId, c -> {
            try (PreparedStatement delete = c.prepareStatement(DELETE)) {
                delete.setString(1, aggregateType);
                delete.setString(2, aggregateId.toString());
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int deleteAll(String aggregateType) {
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.write("deleting the snapshots of " + aggregateType, c -> {
            try (PreparedStatement delete = c.prepareStatement(DELETE_TYPE)) {
                delete.setString(1, aggregateType);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int deleteBelowSchemaVersion(String aggregateType, int schemaVersion) {
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.write("deleting the snapshots of " + aggregateType + " below schema version " + schemaVersion, c -> {
            try (PreparedStatement delete = c.prepareStatement(DELETE_BELOW)) {
                delete.setString(1, aggregateType);
                delete.setInt(2, schemaVersion);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public String toString() {
        return "SQLiteSnapshotStore(" + events.database() + ")";
    }

    /** The table comes with the event store's schema, so the first use initializes the store as its own first use would. */
    private void ensureSchema() {
        if (!ready) {
            events.initialize();
            ready = true;
        }
    }
}
