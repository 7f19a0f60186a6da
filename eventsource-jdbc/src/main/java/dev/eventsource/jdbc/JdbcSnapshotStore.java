package dev.eventsource.jdbc;

import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Snapshots in the {@code snapshots} table beside a SQL event store, written once for every SQL
 * backend; a backend's snapshot store is a subclass that supplies its {@link JdbcAccess} (e.g.
 * {@code SQLiteSnapshotStore}, {@code PostgreSQLSnapshotStore}).
 *
 * <p>One snapshot per stream. {@link #save} is an {@code INSERT ... ON CONFLICT DO UPDATE} that
 * never replaces a snapshot of a higher version, also when writers race. Each operation is one
 * autocommit statement; state is stored as the JSON text it was given (a backend with a JSON
 * column type may normalise whitespace and key order, and refuse text that is not JSON);
 * {@code takenAt} is kept to the microsecond. Every call refuses with
 * {@code StoreClosedException} once the event store is closed. Thread-safe.
 */
public abstract class JdbcSnapshotStore implements SnapshotStore {

    private final JdbcAccess access;
    private final String upsert;
    private final String find;
    private final String delete;
    private final String deleteType;
    private final String deleteBelow;
    private final String table;

    /** Snapshots in the database {@code access} reaches. */
    protected JdbcSnapshotStore(JdbcAccess access) {
        this.access = Objects.requireNonNull(access, "access");
        SqlDialect dialect = access.dialect();
        String table = dialect.table("snapshots");
        this.table = table;
        this.upsert = "INSERT INTO " + table + " AS s (aggregate_type, aggregate_id, version, schema_version, state,"
                + " taken_at) VALUES (?, ?, ?, ?, " + dialect.jsonParameter() + ", ?) ON CONFLICT (aggregate_type,"
                + " aggregate_id) DO UPDATE SET version = excluded.version, schema_version = excluded.schema_version,"
                + " state = excluded.state, taken_at = excluded.taken_at WHERE excluded.version >= s.version";
        this.find = "SELECT version, schema_version, " + dialect.jsonText("state") + ", taken_at FROM " + table
                + " WHERE aggregate_type = ? AND aggregate_id = ?";
        this.delete = "DELETE FROM " + table + " WHERE aggregate_type = ? AND aggregate_id = ?";
        this.deleteType = "DELETE FROM " + table + " WHERE aggregate_type = ?";
        this.deleteBelow = "DELETE FROM " + table + " WHERE aggregate_type = ? AND schema_version < ?";
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        access.ensureSchema();
        SqlDialect dialect = access.dialect();
        access.observedUnchecked("upsert", table, n -> -1, () -> access.write("save the snapshot of "
                + snapshot.aggregateType() + " " + snapshot.aggregateId(), c -> {
            try (PreparedStatement s = c.prepareStatement(upsert)) {
                s.setString(1, snapshot.aggregateType());
                dialect.setUuid(s, 2, snapshot.aggregateId());
                s.setLong(3, snapshot.version());
                s.setInt(4, snapshot.schemaVersion());
                s.setString(5, snapshot.stateJson());
                dialect.setInstant(s, 6, snapshot.takenAt());
                return s.executeUpdate();
            }
        }));
    }

    @Override
    public Optional<Snapshot> find(UUID aggregateId, String aggregateType) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        access.ensureSchema();
        SqlDialect dialect = access.dialect();
        return access.observedUnchecked("select", table, found -> found.isPresent() ? 1 : 0, () -> access.read(
                "read the snapshot of " + aggregateType + " " + aggregateId, c -> {
            try (PreparedStatement s = c.prepareStatement(find)) {
                s.setString(1, aggregateType);
                dialect.setUuid(s, 2, aggregateId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Snapshot(aggregateId, aggregateType, rs.getLong(1), rs.getInt(2), rs.getString(3),
                            dialect.getInstant(rs, 4)));
                }
            }
        }));
    }

    @Override
    public boolean delete(UUID aggregateId, String aggregateType) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        access.ensureSchema();
        return access.write("delete the snapshot of " + aggregateType + " " + aggregateId, c -> {
            try (PreparedStatement s = c.prepareStatement(delete)) {
                s.setString(1, aggregateType);
                access.dialect().setUuid(s, 2, aggregateId);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int deleteAll(String aggregateType) {
        Objects.requireNonNull(aggregateType, "aggregateType");
        access.ensureSchema();
        return access.write("delete the snapshots of " + aggregateType, c -> {
            try (PreparedStatement s = c.prepareStatement(deleteType)) {
                s.setString(1, aggregateType);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public int deleteBelowSchemaVersion(String aggregateType, int schemaVersion) {
        Objects.requireNonNull(aggregateType, "aggregateType");
        access.ensureSchema();
        return access.write("delete the snapshots of " + aggregateType + " below schema version " + schemaVersion, c -> {
            try (PreparedStatement s = c.prepareStatement(deleteBelow)) {
                s.setString(1, aggregateType);
                s.setInt(2, schemaVersion);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + access + ")";
    }
}
