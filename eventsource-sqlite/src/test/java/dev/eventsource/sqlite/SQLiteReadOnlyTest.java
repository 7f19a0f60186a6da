package dev.eventsource.sqlite;

import dev.eventsource.store.StreamId;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.EventSourceException;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOnlyStoreException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A store built {@code readOnly(true)} inspects a database and never writes to it. */
class SQLiteReadOnlyTest {

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(NoteCreated.class);

    private SQLiteEventStore readOnly(Path db) {
        return SQLiteEventStore.builder(db.toString()).eventRegistry(registry).readOnly(true).build();
    }

    @Test
    void reads_a_store_and_leaves_its_database_file_byte_for_byte_unchanged() throws Exception {
        Path db = dir.resolve("notes.db");
        UUID id = withOneNote(db);
        byte[] before = Files.readAllBytes(db);

        try (SQLiteEventStore store = readOnly(db)) {
            store.initialize();
            assertThat(store.getEvents(id, "Note").events()).extracting(StoredEvent::event).containsExactly(new NoteCreated("first", ""));
            assertThat(store.globalPosition()).isEqualTo(1);
            assertThat(store.isReadOnly()).isTrue();
        }

        // SQLite may leave its -wal and -shm companions in a folder it can write; the database itself is untouched.
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void refuses_appends_and_imports_with_read_only_store_exception_and_writes_nothing() throws Exception {
        Path db = dir.resolve("notes.db");
        UUID id = withOneNote(db);
        byte[] before = Files.readAllBytes(db);

        try (SQLiteEventStore store = readOnly(db)) {
            assertThatThrownBy(() -> store.appendEvents(id, "Note", List.of(new NoteCreated("more", "")), ExpectedVersion.exactly(1)))
                    .isInstanceOf(ReadOnlyStoreException.class)
                    .hasMessageContaining(db.toString())
                    .hasMessageContaining("read-only");
            RecordedEvent row = store.readRecordedStream(new dev.eventsource.store.StreamId("Note", id), 0).events().get(0);
            RecordedEvent copy = new RecordedEvent(UUID.randomUUID(), row.eventType(), 1, UUID.randomUUID(), "Note", 1, 0,
                    row.occurredAt(), row.recordedAt(), null, "{}", row.payloadJson());
            assertThatThrownBy(() -> store.importRecorded(List.of(copy))).isInstanceOf(ReadOnlyStoreException.class);
        }

        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void refuses_a_missing_file_and_creates_none() {
        Path db = dir.resolve("missing.db");

        try (SQLiteEventStore store = readOnly(db)) {
            assertThatThrownBy(store::initialize).isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).reason())
                            .isEqualTo(StoreUnavailableException.Reason.DATABASE_MISSING))
                    .hasMessageContaining("No SQLite database file at " + db);
        }
        assertThat(db).doesNotExist();
    }

    @Test
    void refuses_an_empty_file_as_not_an_event_store_and_leaves_it_empty() throws Exception {
        Path db = Files.createFile(dir.resolve("empty.db"));

        try (SQLiteEventStore store = readOnly(db)) {
            assertThatThrownBy(store::initialize).isInstanceOf(StoreNotInitializedException.class)
                    .hasMessageContaining("is not an eventsource store");
        }
        assertThat(Files.size(db)).isZero();
        assertThat(files()).containsExactly(db);
    }

    @Test
    void refuses_another_applications_database_without_adding_tables() throws Exception {
        Path db = dir.resolve("other.db");
        sql(db, "CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        byte[] before = Files.readAllBytes(db);

        try (SQLiteEventStore store = readOnly(db)) {
            assertThatThrownBy(store::initialize).isInstanceOf(IncompatibleStoreException.class)
                    .satisfies(e -> assertThat(((IncompatibleStoreException) e).kind())
                            .isEqualTo(IncompatibleStoreException.Kind.NOT_AN_EVENT_STORE))
                    .hasMessageContaining("is not an eventsource store");
        }
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void refuses_a_store_with_an_older_schema_saying_to_open_it_writable_once() throws Exception {
        Path db = dir.resolve("old.db");
        withOneNote(db);
        sql(db, "DELETE FROM eventsource_schema WHERE version > 1");

        try (SQLiteEventStore store = readOnly(db)) {
            assertThatThrownBy(store::initialize).isInstanceOf(StoreNotInitializedException.class)
                    .hasMessageContaining("schema version 1, older than")
                    .hasMessageContaining("Open it writable once");
        }
    }

    @Test
    void event_stores_open_read_only_opens_a_sqlite_url_read_only_and_refuses_sqlite_memory() {
        Path db = dir.resolve("notes.db");
        withOneNote(db);

        try (var store = dev.eventsource.store.EventStores.openReadOnly("sqlite:" + db, registry)) {
            assertThat(store).isInstanceOfSatisfying(SQLiteEventStore.class, s -> assertThat(s.isReadOnly()).isTrue());
            assertThat(store.globalPosition()).isEqualTo(1);
        }
        assertThatThrownBy(() -> dev.eventsource.store.EventStores.openReadOnly("sqlite::memory:", registry))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_builder_refuses_a_read_only_memory_database() {
        assertThatThrownBy(() -> SQLiteEventStore.builder(":memory:").readOnly(true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("always be empty");
    }

    private UUID withOneNote(Path db) {
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            store.appendEvents(id, "Note", List.of(new NoteCreated("first", "")), ExpectedVersion.NO_STREAM);
        }
        return id;
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static void sql(Path db, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().executeUpdate(statement);
        }
    }
}
