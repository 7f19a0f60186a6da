package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.sqlite.internal.EventQueries;
import dev.eventsource.sqlite.internal.Schema;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StreamId;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database written by an earlier layout opens with this code and is migrated in place, keeping
 * every row as it was: schema version 3 (ids as text, {@code AUTOINCREMENT} positions) and version 4
 * (with the two type indexes). The fixtures under {@code fixtures/} were written by that code.
 */
class SQLiteLayoutMigrationTest {

    private static final UUID SNAPSHOT_STREAM = UUID.fromString("00000001-1111-4222-8333-444455556666");

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(Notes.NoteCreated.class).register(Notes.NoteUpdated.class);

    private Path fixture(String name) throws Exception {
        return fixture(name, name);
    }

    /** A copy of fixture {@code name} in the test's folder, as {@code file}. */
    private Path fixture(String name, String file) throws Exception {
        Path db = dir.resolve(file);
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + name)) {
            Files.copy(in, db);
        }
        return db;
    }

    private SQLiteEventStore open(Path db, String prefix) {
        return SQLiteEventStore.builder(db.toString()).eventRegistry(registry).tablePrefix(prefix).build();
    }

    /** The events as the old layout holds them, read with plain SQL before any migration. */
    private static List<RecordedEvent> oldRows(Path db, String prefix) throws SQLException {
        List<RecordedEvent> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT global_position, event_id, aggregate_type, aggregate_id, version,"
                     + " event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload FROM "
                     + prefix + "events ORDER BY global_position")) {
            while (rs.next()) {
                assertThat(rs.getObject(2)).isInstanceOf(String.class);
                rows.add(new RecordedEvent(UUID.fromString(rs.getString(2)), rs.getString(6), rs.getInt(7),
                        UUID.fromString(rs.getString(4)), rs.getString(3), rs.getLong(5), rs.getLong(1),
                        EventQueries.instant(rs.getLong(8)), EventQueries.instant(rs.getLong(9)), rs.getString(10),
                        rs.getString(11), rs.getString(12)));
            }
        }
        return rows;
    }

    private static Object scalar(Path db, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getObject(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "es_"})
    void a_version_3_database_is_migrated_in_place_keeping_every_event_as_it_was(String prefix) throws Exception {
        Path db = fixture(prefix.isEmpty() ? "layout-v3.db" : "layout-v3-prefixed.db");
        List<RecordedEvent> before = oldRows(db, prefix);
        assertThat(before).hasSize(12);

        try (SQLiteEventStore store = open(db, prefix)) {
            List<RecordedEvent> after = store.readRecorded(ReadOptions.ALL).toList();

            assertThat(after).isEqualTo(before);
            for (RecordedEvent event : before) {
                assertThat(store.eventExists(event.eventId())).isTrue();
            }
            StreamId stream = new StreamId("Note", SNAPSHOT_STREAM);
            assertThat(store.readRecordedStream(stream, 0).events())
                    .isEqualTo(before.stream().filter(e -> e.aggregateId().equals(SNAPSHOT_STREAM)).toList());
            assertThat(store.checkStorage(true)).isEmpty();
        }
        assertThat(scalar(db, "SELECT typeof(event_id) || typeof(aggregate_id) || length(event_id) FROM " + prefix
                + "events LIMIT 1")).isEqualTo("blobblob16");
        String versionTable = prefix.isEmpty() ? "eventsource_schema" : prefix + "schema_version";
        assertThat(scalar(db, "SELECT MAX(version) FROM " + versionTable)).isEqualTo(Schema.CURRENT_VERSION);
        assertThat(scalar(db, "SELECT sql FROM sqlite_master WHERE name = '" + prefix + "events'").toString())
                .doesNotContain("AUTOINCREMENT");
        assertThat(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_v3' ESCAPE '\\'")).isEqualTo(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "es_"})
    void snapshots_checkpoints_and_dead_letters_survive_the_migration(String prefix) throws Exception {
        Path db = fixture(prefix.isEmpty() ? "layout-v3.db" : "layout-v3-prefixed.db");

        try (SQLiteEventStore store = open(db, prefix)) {
            assertThat(new SQLiteSnapshotStore(store).find(SNAPSHOT_STREAM, "Note")).contains(new Snapshot(SNAPSHOT_STREAM,
                    "Note", 3, 1, "{\"title\":\"title 1\"}", java.time.Instant.parse("2026-11-30T11:00:00.000001Z")));
            assertThat(new SQLiteCheckpointStore(store).find("projector")).contains(new Checkpoint("projector", 7, 7,
                    UUID.fromString("00000001-aaaa-4bbb-8ccc-000000000002"), "NoteUpdated",
                    java.time.Instant.parse("2026-11-30T11:00:01.5Z")));
            SQLiteDeadLetterStore deadLetters = new SQLiteDeadLetterStore(store);
            assertThat(deadLetters.list("projector")).containsExactly(new DeadLetter(1, "projector",
                    UUID.fromString("00000001-aaaa-4bbb-8ccc-000000000003"), 8, "NoteUpdated",
                    "{\"content\":\"content 1.3\"}", "java.lang.IllegalStateException: boom", "at x", 2,
                    java.time.Instant.parse("2026-11-30T11:00:02Z"), java.time.Instant.parse("2026-11-30T11:00:03Z"), null));
            // Dead-letter ids keep counting from where they were.
            DeadLetter added = deadLetters.add(new DeadLetter(0, "projector", UUID.randomUUID(), 9, "NoteUpdated", "{}",
                    "e", "s", 1, java.time.Instant.EPOCH, java.time.Instant.EPOCH, null));
            assertThat(added.id()).isEqualTo(2);
        }
    }

    /** Every column of every event, as text, in position order: what no migration may change. */
    private static List<String> rowsAsText(Path db, String prefix) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT global_position, hex(event_id), aggregate_type, hex(aggregate_id),"
                     + " version, event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload FROM "
                     + prefix + "events ORDER BY global_position")) {
            while (rs.next()) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= 12; i++) {
                    columns.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(String.join("|", columns));
            }
        }
        return rows;
    }

    private static List<Object> indexes(Path db, String prefix) throws SQLException {
        List<Object> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '"
                     + prefix + "events' ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "es_"})
    void a_version_4_database_drops_its_type_indexes_and_keeps_every_event_as_it_was(String prefix) throws Exception {
        Path db = fixture(prefix.isEmpty() ? "layout-v4.db" : "layout-v4-prefixed.db");
        List<String> before = rowsAsText(db, prefix);
        assertThat(before).hasSize(12);
        assertThat(indexes(db, prefix)).contains(prefix + "events_by_event_type", prefix + "events_by_aggregate_type");

        try (SQLiteEventStore store = open(db, prefix)) {
            store.initialize();
            // Filtered reads give the same events as before, now from the primary key.
            assertThat(store.readRecorded(ReadOptions.builder().eventTypes("NoteCreated").build()).map(RecordedEvent::globalPosition))
                    .hasSize(3);
            assertThat(store.readRecorded(ReadOptions.builder().aggregateTypes("Note").build()).toList()).hasSize(12);
            assertThat(store.readRecorded(ReadOptions.builder().tenantId("acme").build()).toList()).hasSize(4);
            assertThat(store.statistics(ReadOptions.ALL).byEventType()).containsEntry("NoteCreated", 3L).containsEntry("NoteUpdated", 9L);
            assertThat(store.checkStorage(true)).isEmpty();
        }
        assertThat(rowsAsText(db, prefix)).isEqualTo(before);
        assertThat(indexes(db, prefix)).containsExactly(prefix + "events_by_tenant", "sqlite_autoindex_" + prefix + "events_1",
                "sqlite_autoindex_" + prefix + "events_2");
        String versionTable = prefix.isEmpty() ? "eventsource_schema" : prefix + "schema_version";
        assertThat(scalar(db, "SELECT MAX(version) FROM " + versionTable)).isEqualTo(Schema.CURRENT_VERSION);
    }

    @Test
    void a_read_only_store_reads_a_version_4_database_as_it_is_and_refuses_a_version_3_one() throws Exception {
        Path v4 = fixture("layout-v4.db");
        List<String> rows = rowsAsText(v4, "");

        try (SQLiteEventStore store = SQLiteEventStore.builder(v4.toString()).eventRegistry(registry).readOnly(true).build()) {
            assertThat(store.readRecorded(ReadOptions.builder().eventTypes("NoteCreated").build()).toList()).hasSize(3);
            assertThat(store.statistics(ReadOptions.ALL).events()).isEqualTo(12);
        }
        assertThat(scalar(v4, "SELECT MAX(version) FROM eventsource_schema")).isEqualTo(4);
        assertThat(indexes(v4, "")).contains("events_by_event_type");
        assertThat(rowsAsText(v4, "")).isEqualTo(rows);

        Path v3 = fixture("layout-v3.db");
        assertThatThrownBy(() -> {
            try (SQLiteEventStore store = SQLiteEventStore.builder(v3.toString()).eventRegistry(registry).readOnly(true).build()) {
                store.readRecorded(ReadOptions.ALL).toList();
            }
        }).hasMessageContaining("has event store schema version 3, older than this library's " + Schema.CURRENT_VERSION)
                .hasMessageContaining("Open it writable once");
    }

    @Test
    void appends_after_the_migration_continue_at_the_next_position_and_version() throws Exception {
        Path db = fixture("layout-v3.db");

        try (SQLiteEventStore store = open(db, "")) {
            var result = store.appendEvents(SNAPSHOT_STREAM, "Note", List.of(new Notes.NoteUpdated("after")),
                    ExpectedVersion.exactly(4));
            var fresh = store.appendEvents(UUID.randomUUID(), "Note", List.of(new Notes.NoteCreated("t", "c")),
                    ExpectedVersion.NO_STREAM);

            assertThat(result.globalPosition()).isEqualTo(13);
            assertThat(result.newVersion()).isEqualTo(5);
            assertThat(fresh.globalPosition()).isEqualTo(14);
            assertThat(store.getEvents(SNAPSHOT_STREAM, "Note").events()).hasSize(5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"layout-v3.db", "layout-v4.db"})
    void many_stores_opening_an_older_database_at_once_migrate_it_exactly_once(String name) throws Exception {
        Path db = fixture(name);
        List<RecordedEvent> before;
        // What one store alone reads from the same file once it has migrated it (tested above against the old rows).
        try (SQLiteEventStore reader = open(fixture(name, "alone-" + name), "")) {
            before = reader.readRecorded(ReadOptions.ALL).toList();
        }
        int openers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<RecordedEvent>>> results = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try (SQLiteEventStore store = open(db, "")) {
                        store.initialize();
                        return store.readRecorded(ReadOptions.ALL).toList();
                    }
                }));
            }
            start.countDown();
            for (Future<List<RecordedEvent>> result : results) {
                assertThat(result.get()).isEqualTo(before);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(scalar(db, "SELECT count(*) FROM eventsource_schema WHERE version = " + Schema.CURRENT_VERSION)).isEqualTo(1);
    }

    @Test
    void the_log_refuses_deletes_so_no_position_is_handed_out_twice() throws Exception {
        Path db = fixture("layout-v3.db");
        try (SQLiteEventStore store = open(db, "")) {
            store.initialize();
        }

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
            assertThatThrownBy(() -> sql.executeUpdate("DELETE FROM events WHERE global_position = 12"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> sql.executeUpdate("UPDATE events SET global_position = 99 WHERE global_position = 12"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("never change");
        }
        assertThat(scalar(db, "SELECT max(global_position) FROM events")).isEqualTo(12);
    }
}
