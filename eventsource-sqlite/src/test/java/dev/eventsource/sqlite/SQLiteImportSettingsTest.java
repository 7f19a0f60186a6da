package dev.eventsource.sqlite;

import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An import batch runs with a large page cache and a late autocheckpoint; the writer connection
 * gets its own values back afterwards, so the application's appends run as configured.
 */
class SQLiteImportSettingsTest {

    @TempDir
    Path dir;

    @Test
    void the_writer_connection_keeps_its_cache_and_autocheckpoint_after_an_import() {
        try (SQLiteEventStore store = SQLiteEventStore.builder(dir.resolve("s.db").toString()).build()) {
            store.initialize();
            String cache = store.writerPragma("cache_size");
            String checkpoint = store.writerPragma("wal_autocheckpoint");
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            UUID stream = UUID.randomUUID();
            List<RecordedEvent> batch = new ArrayList<>();
            for (int v = 1; v <= 3; v++) {
                batch.add(new RecordedEvent(UUID.randomUUID(), "Added", 1, stream, "Cart", v, 0, at, at, null, "{}", "{\"n\":" + v + "}"));
            }

            assertThat(store.importRecorded(batch).imported()).isEqualTo(3);

            assertThat(store.writerPragma("cache_size")).isEqualTo(cache);
            assertThat(store.writerPragma("wal_autocheckpoint")).isEqualTo(checkpoint);
            assertThat(store.importRecorded(batch).skipped()).as("the import still works the second time").isEqualTo(3);
            assertThat(store.writerPragma("cache_size")).isEqualTo(cache);
        }
    }
}
