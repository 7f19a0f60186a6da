package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.tck.SnapshotRepositoryContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.UUID;

class SQLiteSnapshotRepositoryContractTest extends SnapshotRepositoryContract {

    @TempDir
    Path dir;

    private Path file;

    @Override
    protected EventStore newEventStore(EventRegistry registry) {
        file = dir.resolve("snapshots.db");
        return new SQLiteEventStore(file.toString(), registry);
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore store) {
        return new SQLiteSnapshotStore((SQLiteEventStore) store);
    }

    @Override
    protected void corruptSnapshot(EventStore store, UUID aggregateId, String aggregateType) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement update = c.prepareStatement(
                     "UPDATE snapshots SET state = '{\"balance\": \"lots\", ' WHERE aggregate_type = ? AND aggregate_id = ?")) {
            update.setString(1, aggregateType);
            update.setBytes(2, dev.eventsource.sqlite.internal.EventQueries.bytes(aggregateId));
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no snapshot row to damage for " + aggregateType + "/" + aggregateId);
            }
        }
    }
}
