package dev.eventsource.tck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link SnapshotStore}: one snapshot per stream, upsert that never goes back
 * to a lower version, exact round trip, and deletes by stream, by type and by schema version.
 *
 * <p>A backend implements {@link #newSnapshotStore()} to return a store that holds no snapshots.
 * The state must come back as the same JSON value; a backend may change its formatting (whitespace,
 * key order), as PostgreSQL's {@code jsonb} does.
 */
public abstract class SnapshotStoreContract {

    /** A new snapshot store holding no snapshots, ready to use. */
    protected abstract SnapshotStore newSnapshotStore();

    private SnapshotStore snapshots;

    @BeforeEach
    final void openFreshSnapshotStore() {
        snapshots = newSnapshotStore();
    }

    private static Snapshot snapshot(UUID id, String type, long version, int schema) {
        return new Snapshot(id, type, version, schema, "{\"balance\":" + version + ",\"name\":\"caf\u00e9 \u2615\"}",
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void a_stream_without_a_snapshot_has_none() {
        assertThat(snapshots.find(UUID.randomUUID(), "Account")).isEmpty();
    }

    @Test
    void a_saved_snapshot_reads_back_unchanged() {
        UUID id = UUID.randomUUID();
        Snapshot saved = snapshot(id, "Account", 100, 1);

        snapshots.save(saved);

        assertThat(snapshots.find(id, "Account")).get().satisfies(found -> {
            assertThat(found.aggregateId()).isEqualTo(id);
            assertThat(found.version()).isEqualTo(100);
            assertThat(found.schemaVersion()).isEqualTo(1);
            assertThat(found.takenAt()).isEqualTo(saved.takenAt());
            assertThat(json(found.stateJson())).isEqualTo(json(saved.stateJson()));
        });
    }

    @Test
    void saving_a_newer_snapshot_replaces_the_older_one() {
        UUID id = UUID.randomUUID();
        snapshots.save(snapshot(id, "Account", 100, 1));

        snapshots.save(snapshot(id, "Account", 200, 1));

        assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(200L);
    }

    @Test
    void an_older_snapshot_arriving_late_never_replaces_a_newer_one() {
        UUID id = UUID.randomUUID();
        snapshots.save(snapshot(id, "Account", 200, 1));

        snapshots.save(snapshot(id, "Account", 102, 1));

        assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(200L);
    }

    @Test
    void a_snapshot_at_the_same_version_replaces_the_stored_one() {
        UUID id = UUID.randomUUID();
        snapshots.save(snapshot(id, "Account", 100, 1));

        snapshots.save(snapshot(id, "Account", 100, 2));

        assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::schemaVersion).isEqualTo(2);
    }

    @Test
    void racing_saves_of_one_stream_leave_the_highest_version() throws Exception {
        UUID id = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> saves = LongStream.rangeClosed(1, 200)
                    .mapToObj(v -> pool.submit(() -> snapshots.save(snapshot(id, "Account", 201 - v, 1))))
                    .<Future<?>>map(f -> f).toList();
            for (Future<?> save : saves) {
                save.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(200L);
    }

    @Test
    void streams_are_keyed_by_type_and_id() {
        UUID id = UUID.randomUUID();
        snapshots.save(snapshot(id, "Account", 10, 1));

        assertThat(snapshots.find(id, "Ledger")).isEmpty();
        assertThat(snapshots.find(UUID.randomUUID(), "Account")).isEmpty();
    }

    @Test
    void delete_removes_only_that_stream_and_says_whether_there_was_one() {
        UUID id = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        snapshots.save(snapshot(id, "Account", 10, 1));
        snapshots.save(snapshot(other, "Account", 10, 1));

        assertThat(snapshots.delete(id, "Account")).isTrue();
        assertThat(snapshots.delete(id, "Account")).isFalse();
        assertThat(snapshots.find(id, "Account")).isEmpty();
        assertThat(snapshots.find(other, "Account")).isPresent();
    }

    @Test
    void delete_all_removes_every_snapshot_of_one_type() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID keep = UUID.randomUUID();
        snapshots.save(snapshot(a, "Account", 1, 1));
        snapshots.save(snapshot(b, "Account", 1, 2));
        snapshots.save(snapshot(keep, "Ledger", 1, 1));

        assertThat(snapshots.deleteAll("Account")).isEqualTo(2);
        assertThat(snapshots.find(a, "Account")).isEmpty();
        assertThat(snapshots.find(keep, "Ledger")).isPresent();
    }

    @Test
    void delete_below_a_schema_version_keeps_current_snapshots_and_other_types() {
        UUID old = UUID.randomUUID();
        UUID current = UUID.randomUUID();
        UUID otherType = UUID.randomUUID();
        snapshots.save(snapshot(old, "Account", 5, 1));
        snapshots.save(snapshot(current, "Account", 5, 2));
        snapshots.save(snapshot(otherType, "Ledger", 5, 1));

        assertThat(snapshots.deleteBelowSchemaVersion("Account", 2)).isEqualTo(1);
        assertThat(snapshots.find(old, "Account")).isEmpty();
        assertThat(snapshots.find(current, "Account")).isPresent();
        assertThat(snapshots.find(otherType, "Ledger")).isPresent();
    }
}
