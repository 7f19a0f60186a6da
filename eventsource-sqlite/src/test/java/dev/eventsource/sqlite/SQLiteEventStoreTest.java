package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.sqlite.Notes.NoteUpdated;
import dev.eventsource.sqlite.internal.Schema;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoreClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SQLite-specific behaviour beyond the shared contract: files, configuration, lifecycle, URLs. */
class SQLiteEventStoreTest {

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(NoteCreated.class).register(NoteUpdated.class);

    @Test
    void data_survives_reopening_the_file_in_a_new_store() {
        String db = dir.resolve("notes.db").toString();
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = new SQLiteEventStore(db, registry)) {
            store.appendEvents(id, "Note", List.of(new NoteCreated("t", "c"), new NoteUpdated("c2")), ExpectedVersion.NO_STREAM);
        }

        try (SQLiteEventStore reopened = new SQLiteEventStore(db, registry)) {
            reopened.initialize();
            assertThat(reopened.getEvents(id, "Note").events()).extracting(e -> e.event())
                    .containsExactly(new NoteCreated("t", "c"), new NoteUpdated("c2"));
            assertThat(reopened.globalPosition()).isEqualTo(2);
        }
    }

    @Test
    void two_memory_stores_never_share_data() {
        try (SQLiteEventStore first = new SQLiteEventStore(":memory:", registry);
             SQLiteEventStore second = new SQLiteEventStore(":memory:", registry)) {
            UUID id = UUID.randomUUID();
            first.appendEvents(id, "Note", List.of(new NoteCreated("only in first", "")), ExpectedVersion.NO_STREAM);

            assertThat(second.getStreamVersion(id, "Note")).isZero();
            assertThat(second.globalPosition()).isZero();
            assertThat(first.globalPosition()).isEqualTo(1);
        }
    }

    @Test
    void a_memory_database_is_gone_once_its_store_is_closed() {
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = new SQLiteEventStore(":memory:", registry)) {
            store.appendEvents(id, "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
        }
        try (SQLiteEventStore fresh = new SQLiteEventStore(":memory:", registry)) {
            assertThat(fresh.globalPosition()).isZero();
        }
    }

    @Test
    void a_wal_database_has_wal_and_shm_files_and_delete_database_removes_all_three() {
        Path db = dir.resolve("wal.db");
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
            assertThat(db).exists();
            assertThat(dir.resolve("wal.db-wal")).exists();
            assertThat(dir.resolve("wal.db-shm")).exists();
        }

        SQLiteEventStore.deleteDatabase(db);

        assertThat(db).doesNotExist();
        assertThat(dir.resolve("wal.db-wal")).doesNotExist();
        assertThat(dir.resolve("wal.db-shm")).doesNotExist();
    }

    @Test
    void delete_database_ignores_files_that_do_not_exist() {
        SQLiteEventStore.deleteDatabase(dir.resolve("never-created.db"));

        assertThat(dir.resolve("never-created.db")).doesNotExist();
    }

    @Test
    void delete_database_refuses_memory() {
        assertThatThrownBy(() -> SQLiteEventStore.deleteDatabase(Path.of(":memory:")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":memory:").hasMessageContaining("close");
    }

    @Test
    void delete_database_refuses_a_directory_and_leaves_it() {
        assertThatThrownBy(() -> SQLiteEventStore.deleteDatabase(dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a directory");
        assertThat(dir).isDirectory();
    }

    @Test
    void the_defaults_are_wal_a_five_second_busy_timeout_and_full_durability() {
        try (SQLiteEventStore store = new SQLiteEventStore(dir.resolve("d.db").toString())) {
            store.initialize();

            assertThat(store.walMode()).isTrue();
            assertThat(store.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(store.synchronous()).isEqualTo(Synchronous.FULL);
            assertThat(store.writerPragma("journal_mode")).isEqualTo("wal");
            assertThat(store.writerPragma("synchronous")).isEqualTo("2");
        }
    }

    @Test
    void the_pragmas_follow_a_custom_configuration() {
        try (SQLiteEventStore store = SQLiteEventStore.builder(dir.resolve("c.db").toString())
                .walMode(false).busyTimeout(Duration.ofMillis(1234)).synchronous(Synchronous.NORMAL).tracing(false)
                .build()) {
            store.initialize();

            assertThat(store.walMode()).isFalse();
            assertThat(store.writerPragma("journal_mode")).isEqualTo("delete");
            // The writer waits for locks in BusyWait, not SQLite's busy_timeout; SQLiteWaitTest pins how long.
            assertThat(store.busyTimeout()).isEqualTo(Duration.ofMillis(1234));
            assertThat(store.writerPragma("synchronous")).isEqualTo("1");
        }
    }

    @Test
    void a_zero_busy_timeout_sets_busy_timeout_to_zero() {
        try (SQLiteEventStore store = SQLiteEventStore.builder(dir.resolve("z.db").toString())
                .busyTimeout(Duration.ZERO).build()) {
            store.initialize();

            assertThat(store.writerPragma("busy_timeout")).isEqualTo("0");
        }
    }

    @Test
    void wal_mode_is_not_applied_to_a_memory_database_and_reported_off() {
        try (SQLiteEventStore store = SQLiteEventStore.builder(":memory:").walMode(true).build()) {
            store.initialize();

            assertThat(store.walMode()).isFalse();
            assertThat(store.writerPragma("journal_mode")).isEqualTo("memory");
        }
    }

    @Test
    void is_connected_from_initialize_until_close() {
        SQLiteEventStore store = new SQLiteEventStore(":memory:", registry);
        assertThat(store.isConnected()).isFalse();

        store.initialize();
        assertThat(store.isConnected()).isTrue();

        store.close();
        assertThat(store.isConnected()).isFalse();
    }

    @Test
    void a_closed_store_refuses_appends_and_reads() {
        SQLiteEventStore store = new SQLiteEventStore(dir.resolve("closed.db").toString(), registry);
        store.initialize();
        store.close();

        assertThatThrownBy(() -> store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("t", "c")),
                ExpectedVersion.ANY)).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::globalPosition).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void the_builder_refuses_a_negative_busy_timeout() {
        assertThatThrownBy(() -> SQLiteEventStore.builder("x.db").busyTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTimeout");
    }

    @Test
    void the_builder_refuses_a_blank_database() {
        assertThatThrownBy(() -> SQLiteEventStore.builder(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":memory:");
    }

    @Test
    void the_builder_refuses_sqlite_uris() {
        assertThatThrownBy(() -> SQLiteEventStore.builder("file:events.db?mode=ro"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain file path");
    }

    @Test
    void initializing_twice_records_each_schema_version_once_and_keeps_the_data() throws Exception {
        Path db = dir.resolve("twice.db");
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            store.initialize();
            store.appendEvents(id, "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
            store.initialize();

            assertThat(store.getStreamVersion(id, "Note")).isEqualTo(1);
        }
        assertThat(queryLong(db, "SELECT COUNT(*) FROM eventsource_schema")).isEqualTo(Schema.CURRENT_VERSION);
    }

    @Test
    void stores_initializing_one_new_file_at_the_same_moment_create_the_schema_once() throws Exception {
        // Twenty races: switching a new file to WAL answers SQLITE_BUSY at once (no busy handler) to all but one opener.
        for (int round = 0; round < 20; round++) {
            Path db = dir.resolve("race-" + round + ".db");
            List<SQLiteEventStore> stores = Stream.generate(() -> new SQLiteEventStore(db.toString(), registry)).limit(6).toList();
            try {
                CompletableFuture.allOf(stores.stream().map(s -> CompletableFuture.runAsync(s::initialize))
                        .toArray(CompletableFuture[]::new)).join();

                assertThat(queryLong(db, "SELECT COUNT(*) FROM eventsource_schema")).as("round %d", round)
                        .isEqualTo(Schema.CURRENT_VERSION);
                assertThat(stores).allMatch(SQLiteEventStore::isConnected);
            } finally {
                stores.forEach(SQLiteEventStore::close);
            }
        }
    }

    @Test
    void payloads_are_json_that_sqlite_json_functions_can_query() throws Exception {
        Path db = dir.resolve("json.db");
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("Meeting Notes", "Q4")), ExpectedVersion.NO_STREAM);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT json_extract(payload, '$.title'), event_type FROM events")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("Meeting Notes");
            assertThat(rs.getString(2)).isEqualTo("NoteCreated");
        }
    }

    @Test
    void event_stores_open_accepts_sqlite_memory() {
        try (EventStore store = EventStores.open("sqlite::memory:", registry)) {
            assertThat(store).isInstanceOf(SQLiteEventStore.class);
            assertThat(((SQLiteEventStore) store).database()).isEqualTo(":memory:");
            assertThat(((SQLiteEventStore) store).isConnected()).isTrue();
        }
    }

    @Test
    void event_stores_open_accepts_a_sqlite_path() {
        Path db = dir.resolve("url.db");
        try (EventStore store = EventStores.open("sqlite:" + db, registry)) {
            assertThat(((SQLiteEventStore) store).database()).isEqualTo(db.toString());
        }
        assertThat(db).exists();
    }

    @Test
    void event_stores_open_accepts_a_jdbc_sqlite_url_with_parameters() {
        Path db = dir.resolve("jdbc.db");
        try (EventStore store = EventStores.open("jdbc:sqlite:" + db + "?walMode=false&busyTimeout=250&synchronous=normal",
                registry)) {
            SQLiteEventStore sqlite = (SQLiteEventStore) store;
            assertThat(sqlite.database()).isEqualTo(db.toString());
            assertThat(sqlite.walMode()).isFalse();
            assertThat(sqlite.busyTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(sqlite.synchronous()).isEqualTo(Synchronous.NORMAL);
        }
    }

    @Test
    void event_stores_open_refuses_an_unknown_url_parameter_naming_the_known_ones() {
        assertThatThrownBy(() -> EventStores.open("sqlite:" + dir.resolve("p.db") + "?journal=wal", registry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal=wal").hasMessageContaining("busyTimeout");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "synchronous=BOGUS | synchronous must be FULL or NORMAL; got 'BOGUS'",
            "busyTimeout=-1 | busyTimeout must be 0 (fail at once) or a positive number of milliseconds; got -1",
            "busyTimeout=5s | busyTimeout must be a whole number of milliseconds; got '5s'"})
    void event_stores_open_refuses_a_bad_url_parameter_value_in_words(String parameter, String message) {
        assertThatThrownBy(() -> EventStores.open("sqlite:" + dir.resolve("p.db") + "?" + parameter, registry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad parameter '" + parameter + "'").hasMessageContaining("(" + message + ")");
        assertThat(dir.resolve("p.db")).doesNotExist();
    }

    @Test
    void event_stores_open_refuses_a_sqlite_url_without_a_path() {
        assertThatThrownBy(() -> EventStores.open("sqlite:", registry))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no database");
    }

    private static long queryLong(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
