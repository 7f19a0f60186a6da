package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.sqlite.Notes.NoteUpdated;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Separate JVM processes writing one SQLite file (each runs {@link AppendingProcess}): nothing is
 * lost or duplicated under contention, and a writer killed with {@code kill -9} leaves every
 * acknowledged append readable and no partial batch.
 */
class MultiProcessTest {

    private static final long PROCESS_TIMEOUT_SECONDS = 180;

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(NoteCreated.class).register(NoteUpdated.class);

    @Test
    void two_processes_appending_to_one_file_lose_nothing_and_duplicate_nothing() throws Exception {
        Path db = dir.resolve("shared.db");
        UUID shared = UUID.randomUUID();
        int count = 100;
        Process first = start("shared", db.toString(), shared.toString(), String.valueOf(count));
        Process second = start("shared", db.toString(), shared.toString(), String.valueOf(count));
        CompletableFuture<List<String>> firstAcks = CompletableFuture.supplyAsync(() -> acks(first));
        CompletableFuture<List<String>> secondAcks = CompletableFuture.supplyAsync(() -> acks(second));

        assertExitsNormally(first);
        assertExitsNormally(second);
        List<String> acked = new ArrayList<>(firstAcks.get());
        acked.addAll(secondAcks.get());

        assertThat(acked).hasSize(4 * count).doesNotHaveDuplicates();
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            List<StoredEvent> sharedEvents = store.getEvents(shared, "Note").events();
            assertThat(sharedEvents).extracting(StoredEvent::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * count).boxed().toList());
            Set<String> sharedIds = sharedEvents.stream().map(e -> e.eventId().toString()).collect(Collectors.toSet());
            List<StoredEvent> all;
            try (Stream<StoredEvent> events = store.readAll()) {
                all = events.toList();
            }
            assertThat(all).hasSize(4 * count);
            assertThat(all).extracting(StoredEvent::globalPosition)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 4L * count).boxed().toList());
            Set<String> ownStreams = all.stream().filter(e -> !e.aggregateId().equals(shared))
                    .map(e -> e.aggregateId().toString()).collect(Collectors.toSet());
            assertThat(ownStreams).hasSize(2 * count);
            Set<String> stored = new HashSet<>(sharedIds);
            stored.addAll(ownStreams);
            assertThat(stored).containsExactlyInAnyOrderElementsOf(acked);
        }
    }

    @Test
    void a_writer_killed_mid_run_leaves_every_acknowledged_append_and_no_partial_batch() throws Exception {
        Path db = dir.resolve("killed.db");
        Process writer = start("batches", db.toString(), "4");
        List<String> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture.delayedExecutor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() -> writer.toHandle().destroyForcibly());
            for (String line; acked.size() < 300 && (line = out.readLine()) != null; ) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
            }
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe.
            writer.toHandle().destroyForcibly();
            assertThat(writer.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            // Acknowledgements printed before the kill are still in the pipe.
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
            }
        }
        if (acked.size() < 300) {
            fail("the writer died before 300 appends: " + Files.readString(stderrOf(db)));
        }
        assertThat(writer.exitValue()).as("killed by SIGKILL, not finished").isEqualTo(128 + 9);

        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), registry)) {
            for (String id : acked) {
                assertThat(store.getEvents(UUID.fromString(id), "Note").events()).as(id)
                        .extracting(StoredEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet partial = c.createStatement().executeQuery("SELECT aggregate_id FROM events GROUP BY aggregate_id"
                     + " HAVING COUNT(*) <> " + AppendingProcess.BATCH + " OR MAX(version) <> " + AppendingProcess.BATCH)) {
            assertThat(partial.next()).as("a stream with a partial batch").isFalse();
            try (ResultSet streams = c.createStatement().executeQuery("SELECT COUNT(DISTINCT aggregate_id) FROM events")) {
                streams.next();
                System.out.printf("killed writer: %d appends acknowledged, %d complete batches stored%n",
                        acked.size(), streams.getLong(1));
            }
        }
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AppendingProcess.class.getName()));
        command.addAll(List.of(args));
        Path db = Path.of(args[1]);
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrOf(db).toFile()))
                .start();
    }

    private Path stderrOf(Path db) {
        return db.resolveSibling(db.getFileName() + ".stderr.txt");
    }

    private static List<String> acks(Process process) {
        List<String> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return acked;
    }

    private void assertExitsNormally(Process process) throws Exception {
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("a writer process did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            fail("a writer process failed with exit code " + process.exitValue() + ":\n"
                    + Files.readString(stderrOf(dir.resolve("shared.db"))));
        }
    }
}
