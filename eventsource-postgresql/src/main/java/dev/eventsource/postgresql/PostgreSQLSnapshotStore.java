package dev.eventsource.postgresql;

import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.StoreClosedException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Snapshots in the same PostgreSQL schema as the events of a {@link PostgreSQLEventStore}, in its
 * {@code <prefix>snapshots} table (created by the store's {@code initialize()}, and part of
 * {@link PostgreSQLEventStore#schemaSql}):
 *
 * <pre>{@code
 * PostgreSQLEventStore store = PostgreSQLEventStore.builder(dataSource).schema("events").build();
 * var accounts = AggregateRepository.builder(store, Account::new, "Account")
 *         .snapshots(new PostgreSQLSnapshotStore(store))
 *         .snapshotPolicy(SnapshotPolicy.everyEvents(100))
 *         .build();
 * }</pre>
 *
 * <p>It opens nothing of its own: it borrows the event store's {@link javax.sql.DataSource},
 * schema and table prefix, and refuses every call with {@link StoreClosedException} once that
 * store is closed. Each operation is one autocommit statement. State is stored as {@code jsonb},
 * so it comes back as the same JSON value, possibly with other whitespace and key order, and
 * PostgreSQL refuses state that is not JSON. {@code takenAt} is kept to the microsecond.
 * {@link #save} is an {@code INSERT ... ON CONFLICT DO UPDATE} that never replaces a snapshot of a
 * higher version, also when writers race. Driver errors are translated as the event store
 * translates them. Thread-safe.
 */
public final class PostgreSQLSnapshotStore implements SnapshotStore {

    private final PostgreSQLEventStore events;
    private final String upsert;
    private final String find;
    private final String delete;
    private final String deleteType;
    private final String deleteBelow;
    private volatile boolean ready;

    /** Snapshots beside the events of {@code events}, through its data source. */
    public PostgreSQLSnapshotStore(PostgreSQLEventStore events) {
        this.events = Objects.requireNonNull(events, "events");
        // Both names were validated by the event store's builder; nothing else reaches SQL text.
        String table = events.schema() + "." + events.tablePrefix() + "snapshots";
        this.upsert = "INSERT INTO " + table + " AS s (aggregate_type, aggregate_id, version, schema_version, state,"
                + " taken_at) VALUES (?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET"
                + " version = excluded.version, schema_version = excluded.schema_version, state = excluded.state,"
                + " taken_at = excluded.taken_at WHERE excluded.version >= s.version";
        this.find = "SELECT version, schema_version, state::text, taken_at FROM " + table
                + " WHERE aggregate_type = ? AND aggregate_id = ?";
        this.delete = "DELETE FROM " + table + " WHERE aggregate_type = ? AND aggregate_id = ?";
        this.deleteType = "DELETE FROM " + table + " WHERE aggregate_type = ?";
        this.deleteBelow = "DELETE FROM " + table + " WHERE aggregate_type = ? AND schema_version < ?";
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        ensureSchema();
        events.run("save the snapshot of " + snapshot.aggregateType() + " " + snapshot.aggregateId(), c -> {
            try (PreparedStatement s = c.prepareStatement(upsert)) {
                s.setString(1, snapshot.aggregateType());
                s.setObject(2, snapshot.aggregateId());
                s.setLong(3, snapshot.version());
                s.setInt(4, snapshot.schemaVersion());
                s.setString(5, snapshot.stateJson());
                s.setObject(6, OffsetDateTime.ofInstant(snapshot.takenAt().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Snapshot> find(UUID aggregateId, String aggregateType) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.run("read the snapshot of " + aggregateType + " " + aggregateId, c -> {
            try (PreparedStatement s = c.prepareStatement(find)) {
                s.setString(1, aggregateType);
                s.setObject(2, aggregateId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Snapshot(aggregateId, aggregateType, rs.getLong(1), rs.getInt(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant()));
                }
            }
        });
    }

    @Override
    public boolean delete(UUID aggregateId, String aggregateType) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.run("delete the snapshot of " + aggregateType + " " + aggregateId, c -> {
            try (PreparedStatement s = c.prepareStatement(delete)) {
                s.setString(1, aggregateType);
                s.setObject(2, aggregateId);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int deleteAll(String aggregateType) {
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.run("delete the snapshots of " + aggregateType, c -> {
            try (PreparedStatement s = c.prepareStatement(deleteType)) {
                s.setString(1, aggregateType);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public int deleteBelowSchemaVersion(String aggregateType, int schemaVersion) {
        Objects.requireNonNull(aggregateType, "aggregateType");
        ensureSchema();
        return events.run("delete the snapshots of " + aggregateType + " below schema version " + schemaVersion, c -> {
            try (PreparedStatement s = c.prepareStatement(deleteBelow)) {
                s.setString(1, aggregateType);
                s.setInt(2, schemaVersion);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public String toString() {
        return "PostgreSQLSnapshotStore(" + events + ")";
    }

    /** The table comes with the event store's schema, so the first use initializes the store as its own first use would. */
    private void ensureSchema() {
        if (events.isClosed()) {
            // A DataSource the caller owns outlives the store; the snapshots must not.
            throw new StoreClosedException(events.toString());
        }
        if (!ready) {
            events.initialize();
            ready = true;
        }
    }
}
