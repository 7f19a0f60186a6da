package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.store.ReadOnlyStoreException;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.subscription.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checkpoint, dead-letter and snapshot stores beside a SQLite event store live and die with
 * it, and refuse writes to a read-only one, naming what was refused.
 */
class SQLiteSideStoresTest {

    @TempDir
    Path dir;

    private SQLiteEventStore store(Path db) {
        return new SQLiteEventStore(db.toString(), new EventRegistry());
    }

    private static Checkpoint checkpoint(String subscription) {
        return new Checkpoint(subscription, 3, 3, UUID.randomUUID(), "NoteCreated", Instant.parse("2026-01-02T03:04:05.123456Z"));
    }

    @Test
    void checkpoint_and_dead_letter_stores_of_a_closed_event_store_refuse_every_call() {
        SQLiteEventStore store = store(dir.resolve("closed.db"));
        SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(store);
        SQLiteDeadLetterStore deadLetters = new SQLiteDeadLetterStore(store);
        checkpoints.save(checkpoint("notes"));
        store.close();

        assertThatThrownBy(() -> checkpoints.find("notes")).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> checkpoints.saveInTransaction(checkpoint("notes"), c -> { }))
                .isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> deadLetters.listAll()).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void side_stores_of_a_read_only_store_refuse_writes_naming_them_and_still_read() {
        Path db = dir.resolve("notes.db");
        try (SQLiteEventStore writable = store(db)) {
            new SQLiteCheckpointStore(writable).save(checkpoint("notes"));
        }

        try (SQLiteEventStore readOnly = SQLiteEventStore.builder(db.toString()).eventRegistry(new EventRegistry())
                .readOnly(true).build()) {
            SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(readOnly);
            UUID id = UUID.randomUUID();

            assertThat(checkpoints.find("notes")).get().extracting(Checkpoint::position).isEqualTo(3L);
            assertThatThrownBy(() -> checkpoints.save(checkpoint("other")))
                    .isInstanceOf(ReadOnlyStoreException.class).hasMessageContaining("save the checkpoint of other");
            assertThatThrownBy(() -> new SQLiteSnapshotStore(readOnly).save(new Snapshot(id, "Note", 1, 1, "{}", Instant.now())))
                    .isInstanceOf(ReadOnlyStoreException.class).hasMessageContaining("save the snapshot of Note " + id);
            assertThatThrownBy(() -> new SQLiteDeadLetterStore(readOnly).resolve(1, Instant.now()))
                    .isInstanceOf(ReadOnlyStoreException.class).hasMessageContaining("resolve dead letter 1");
        }
    }
}
