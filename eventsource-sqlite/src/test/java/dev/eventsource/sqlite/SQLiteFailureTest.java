package dev.eventsource.sqlite;

import dev.eventsource.store.TransientEventStoreException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.EventSourceException;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the store does when the database cannot do what it is asked: a clear exception naming the
 * database and the cause, the driver exception kept as cause, and nothing already stored lost.
 */
class SQLiteFailureTest {

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(NoteCreated.class);

    @Test
    void a_file_that_is_not_a_sqlite_database_is_refused_and_left_unchanged() throws Exception {
        Path file = dir.resolve("notes.txt");
        String text = "These are my notes, not a database. ".repeat(40);
        Files.writeString(file, text);

        try (SQLiteEventStore store = new SQLiteEventStore(file.toString(), registry)) {
            assertThatThrownBy(store::initialize)
                    .isInstanceOf(IncompatibleStoreException.class)
                    .satisfies(e -> assertThat(((IncompatibleStoreException) e).kind())
                            .isEqualTo(IncompatibleStoreException.Kind.NOT_A_DATABASE))
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("is not a SQLite database")
                    .hasCauseInstanceOf(SQLException.class);
        }
        assertThat(Files.readString(file)).isEqualTo(text);
    }

    @Test
    void a_path_whose_folder_does_not_exist_is_refused_naming_the_folder() {
        Path missing = dir.resolve("no-such-folder");
        try (SQLiteEventStore store = new SQLiteEventStore(missing.resolve("events.db").toString(), registry)) {
            assertThatThrownBy(store::initialize)
                    .isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).reason())
                            .isEqualTo(StoreUnavailableException.Reason.CANNOT_OPEN))
                    .hasMessageContaining(missing.resolve("events.db").toString())
                    .hasMessageContaining("folder " + missing + " does not exist")
                    .hasCauseInstanceOf(SQLException.class);
        }
        assertThat(missing).doesNotExist();
    }

    @Test
    void a_path_that_is_a_directory_is_refused() {
        try (SQLiteEventStore store = new SQLiteEventStore(dir.toString(), registry)) {
            assertThatThrownBy(store::initialize)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("is a directory");
        }
    }

    @Test
    void appending_to_a_read_only_database_is_refused_and_the_stored_events_stay_readable() {
        Path db = dir.resolve("ro.db");
        UUID id = withOneNote(db);

        // SQLite opens a file it may not write read-only; opening it so directly works for any user, root included.
        try (SQLiteEventStore store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry)
                .driverProperty("open_mode", "1").build()) {
            store.initialize();

            assertThatThrownBy(() -> store.appendEvents(id, "Note", List.of(new NoteCreated("more", "")), ExpectedVersion.exactly(1)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).reason())
                            .isEqualTo(StoreUnavailableException.Reason.READ_ONLY))
                    .hasMessageContaining(db.toString())
                    .hasMessageContaining("read-only")
                    .hasCauseInstanceOf(SQLException.class);
            assertThat(store.getEvents(id, "Note").events()).extracting(StoredEvent::event)
                    .containsExactly(new NoteCreated("first", ""));
        }
        assertThat(versionOf(db, id)).isEqualTo(1);
    }

    @Test
    void a_full_database_refuses_the_append_and_keeps_every_event_stored_before() throws Exception {
        Path db = dir.resolve("full.db");
        UUID id = withOneNote(db);
        long pages = pageCount(db);

        // max_page_count makes SQLite report SQLITE_FULL exactly as a full disk does, without needing one.
        try (SQLiteEventStore store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry)
                .driverProperty("max_page_count", String.valueOf(pages)).build()) {
            String big = "x".repeat(64 * 1024);
            EventSourceException full = catchThrowableOfType(EventSourceException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated(big, "")), ExpectedVersion.NO_STREAM);
                }
            });

            assertThat(full).isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).reason())
                            .isEqualTo(StoreUnavailableException.Reason.STORAGE_FULL))
                    .hasMessageContaining(db.toString())
                    .hasMessageContaining("is full")
                    .hasCauseInstanceOf(SQLException.class);
            assertThat(store.getEvents(id, "Note").events()).extracting(StoredEvent::event)
                    .containsExactly(new NoteCreated("first", ""));
        }
        try (SQLiteEventStore unlimited = new SQLiteEventStore(db.toString(), registry)) {
            assertThat(unlimited.getStreamVersion(id, "Note")).isEqualTo(1);
            assertThat(unlimited.appendEvents(id, "Note", List.of(new NoteCreated("again", "")), ExpectedVersion.exactly(1))
                    .newVersion()).isEqualTo(2);
        }
    }

    @Test
    void a_lock_held_by_another_connection_fails_at_once_with_a_zero_busy_timeout() throws Exception {
        Path db = dir.resolve("busy.db");
        UUID id = withOneNote(db);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             SQLiteEventStore store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry)
                     .busyTimeout(Duration.ZERO).build()) {
            store.initialize();
            other.createStatement().execute("BEGIN IMMEDIATE");

            EventStoreBusyException busy = catchThrowableOfType(EventStoreBusyException.class,
                    () -> store.appendEvents(id, "Note", List.of(new NoteCreated("blocked", "")), ExpectedVersion.exactly(1)));

            assertThat(busy).isNotNull().isInstanceOf(TransientEventStoreException.class)
                    .hasMessageContaining(db.toString()).hasCauseInstanceOf(SQLException.class);
            assertThat(busy.busyTimeout()).isEqualTo(Duration.ZERO);
            other.createStatement().execute("ROLLBACK");
            assertThat(store.getStreamVersion(id, "Note")).isEqualTo(1);
        }
    }

    @Test
    void a_lock_held_longer_than_the_busy_timeout_fails_with_event_store_busy() throws Exception {
        Path db = dir.resolve("busy2.db");
        UUID id = withOneNote(db);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             SQLiteEventStore store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry)
                     .busyTimeout(Duration.ofMillis(200)).build()) {
            store.initialize();
            other.createStatement().execute("BEGIN IMMEDIATE");

            EventStoreBusyException busy = catchThrowableOfType(EventStoreBusyException.class,
                    () -> store.appendEvents(id, "Note", List.of(new NoteCreated("blocked", "")), ExpectedVersion.exactly(1)));

            assertThat(busy).isNotNull().hasMessageContaining("200 ms");
            assertThat(busy.busyTimeout()).isEqualTo(Duration.ofMillis(200));
            other.createStatement().execute("ROLLBACK");
            assertThat(store.appendEvents(id, "Note", List.of(new NoteCreated("now", "")), ExpectedVersion.exactly(1))
                    .newVersion()).isEqualTo(2);
        }
    }

    @Test
    void a_database_written_by_a_newer_schema_is_refused_and_left_unchanged() throws Exception {
        Path db = dir.resolve("newer.db");
        UUID id = withOneNote(db);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("INSERT INTO eventsource_schema (version, applied_at) VALUES (99, 0)");
        }

        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            assertThatThrownBy(store::initialize)
                    .isInstanceOf(IncompatibleStoreException.class)
                    .satisfies(e -> assertThat(((IncompatibleStoreException) e).kind())
                            .isEqualTo(IncompatibleStoreException.Kind.NEWER_SCHEMA))
                    .hasMessageContaining("schema version 99")
                    .hasMessageContaining("newer");
        }
        assertThat(versionOf(db, id)).isEqualTo(1);
    }

    private UUID withOneNote(Path db) {
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            store.appendEvents(id, "Note", List.of(new NoteCreated("first", "")), ExpectedVersion.NO_STREAM);
        }
        return id;
    }

    private static long versionOf(Path db, UUID id) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT MAX(version) FROM events WHERE aggregate_id = unhex(replace('" + id + "', '-', ''))")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static long pageCount(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
