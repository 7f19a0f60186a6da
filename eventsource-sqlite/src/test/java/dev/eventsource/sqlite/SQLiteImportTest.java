package dev.eventsource.sqlite;

import dev.eventsource.store.EventImporter;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.EventImporter.ImportResult;
import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the import contract leaves to the backend: its transaction discipline beside appends and other processes. */
class SQLiteImportTest {

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(NoteCreated.class);

    private static List<RecordedEvent> batch(int size) {
        UUID stream = UUID.randomUUID();
        Instant at = Instant.parse("2024-05-06T07:08:09.101112Z");
        List<RecordedEvent> rows = new ArrayList<>();
        for (int v = 1; v <= size; v++) {
            rows.add(new RecordedEvent(UUID.randomUUID(), "NoteCreated", 1, stream, "Note", v, v, at, at, null, "{}",
                    "{\"title\":\"t" + v + "\",\"content\":\"\"}"));
        }
        return rows;
    }

    @Test
    void an_imported_batch_takes_consecutive_positions_while_other_threads_append() throws Exception {
        try (SQLiteEventStore store = new SQLiteEventStore(dir.resolve("busy.db").toString(), registry)) {
            store.initialize();
            ExecutorService appenders = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                running.add(appenders.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("n", "")), ExpectedVersion.NO_STREAM);
                    }
                }));
            }
            List<List<RecordedEvent>> batches = new ArrayList<>();
            for (int b = 0; b < 10; b++) {
                List<RecordedEvent> batch = batch(20);
                batches.add(batch);
                store.importRecorded(batch);
            }
            for (Future<?> f : running) {
                f.get();
            }
            appenders.shutdown();

            Map<UUID, Long> positions = new HashMap<>();
            try (Stream<RecordedEvent> rows = store.readRecorded(ReadOptions.ALL)) {
                rows.forEach(r -> positions.put(r.eventId(), r.globalPosition()));
            }
            assertThat(positions).hasSize(200 + 200);
            for (List<RecordedEvent> batch : batches) {
                long first = positions.get(batch.get(0).eventId());
                assertThat(batch).extracting(r -> positions.get(r.eventId()))
                        .as("positions of one imported batch")
                        .containsExactly(Stream.iterate(first, p -> p + 1).limit(batch.size()).toArray(Long[]::new));
            }
        }
    }

    @Test
    void a_batch_blocked_by_another_process_writing_fails_as_busy_and_writes_nothing() throws Exception {
        Path db = dir.resolve("locked.db");
        try (SQLiteEventStore store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry)
                .busyTimeout(Duration.ZERO).build();
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            store.initialize();
            other.createStatement().execute("BEGIN IMMEDIATE");

            assertThatThrownBy(() -> store.importRecorded(batch(3)))
                    .isInstanceOf(EventStoreBusyException.class)
                    .hasMessageContaining(db.toString())
                    .hasCauseInstanceOf(SQLException.class);

            other.createStatement().execute("ROLLBACK");
            assertThat(store.globalPosition()).isZero();
        }
    }

    @Test
    void imports_into_a_store_that_was_not_initialized_yet() {
        try (SQLiteEventStore store = new SQLiteEventStore(dir.resolve("new.db").toString(), registry)) {
            ImportResult result = store.importRecorded(batch(2));

            assertThat(result).isEqualTo(new ImportResult(2, 0));
            assertThat(store.globalPosition()).isEqualTo(2);
        }
    }

    @Test
    void refuses_an_import_after_close() {
        SQLiteEventStore store = new SQLiteEventStore(SQLiteEventStore.MEMORY, registry);
        store.initialize();
        store.close();

        assertThatThrownBy(() -> store.importRecorded(batch(1))).isInstanceOf(StoreClosedException.class);
    }
}
