package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.InMemoryCheckpointStore;
import dev.eventsource.subscription.RetryPolicy;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.TransactionalProjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLite-only subscription behaviours: polling sees writes by another store on the file, a
 * transactional projection keeps its read model and checkpoint in one transaction, and a
 * subscriber process killed with {@code kill -9} mid-batch resumes from its checkpoint
 * (exactly-once for the in-database read model, at-least-once for a file outside it).
 */
class SQLiteSubscriptionTest {

    @TempDir
    Path dir;

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void seed(SQLiteEventStore store, int events) {
        for (int i = 0; i < events; i += 10) {
            List<NoteCreated> batch = new ArrayList<>();
            for (int e = 0; e < 10; e++) {
                batch.add(new NoteCreated("note " + (i + e), "text"));
            }
            store.appendEvents(UUID.randomUUID(), "Note", batch, ExpectedVersion.NO_STREAM);
        }
    }

    private static List<UUID> ids(SQLiteEventStore store) {
        try (Stream<StoredEvent> all = store.readAll(ReadOptions.ALL)) {
            return all.map(StoredEvent::eventId).collect(Collectors.toList());
        }
    }

    private static long queryLong(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void a_subscriber_sees_events_written_by_another_store_on_the_file_by_polling() throws Exception {
        String db = dir.resolve("shared.db").toString();
        List<UUID> seen = Collections.synchronizedList(new ArrayList<>());
        try (SQLiteEventStore reader = new SQLiteEventStore(db, SubscribingProcess.registry());
             SQLiteEventStore otherProcess = new SQLiteEventStore(db, SubscribingProcess.registry());
             SubscriptionManager manager = SubscriptionManager.builder(reader).pollInterval(Duration.ofMillis(100)).build()) {
            reader.initialize();
            manager.subscribe("tail", e -> seen.add(e.eventId()));

            seed(otherProcess, 30);

            eventually("the other store's events arrived", () -> seen.size() >= 30);
            assertThat(seen).isEqualTo(ids(reader));
        }
    }

    @Test
    void a_transactional_projection_rolls_back_its_read_model_with_a_failed_event_and_commits_it_with_the_checkpoint()
            throws Exception {
        Path db = dir.resolve("tx.db");
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), SubscribingProcess.registry())) {
            store.initialize();
            SubscribingProcess.createReadModel(db);
            seed(store, 20);
            UUID poison = ids(store).get(12);
            TransactionalProjection counting = SubscribingProcess.counting();
            TransactionalProjection failingOnce = new TransactionalProjection() {
                private boolean failed;

                @Override
                public void handle(StoredEvent event, Connection connection) throws Exception {
                    counting.handle(event, connection);
                    if (event.eventId().equals(poison) && !failed) {
                        failed = true;
                        throw new IllegalStateException("fails after writing its row");
                    }
                }

                @Override
                public void reset(Connection connection) throws Exception {
                    counting.reset(connection);
                }
            };
            SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(store);
            try (SubscriptionManager manager = SubscriptionManager.builder(store).checkpoints(checkpoints).build()) {
                manager.subscribe("counting", failingOnce, SubscriptionOptions.builder().batchSize(7)
                        .retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(1), Duration.ofMillis(5))).build());
                eventually("all twenty counted", () -> checkpoints.find("counting").map(Checkpoint::position)
                        .orElse(0L) == store.globalPosition());
            }

            assertThat(queryLong(db, "SELECT events FROM counted")).isEqualTo(20);
            assertThat(queryLong(db, "SELECT COUNT(*) FROM seen")).isEqualTo(20);
            assertThat(checkpoints.find("counting")).get().extracting(Checkpoint::eventsProcessed).isEqualTo(20L);
        }
    }

    @Test
    void a_transactional_projection_in_a_process_that_never_registered_a_type_dead_letters_it_and_commits_the_others()
            throws Exception {
        Path db = dir.resolve("read-only.db");
        try (SQLiteEventStore writer = new SQLiteEventStore(db.toString(), SubscribingProcess.registry());
             SQLiteEventStore reader = new SQLiteEventStore(db.toString(), new EventRegistry().register(NoteCreated.class))) {
            writer.initialize();
            SubscribingProcess.createReadModel(db);
            seed(writer, 10);
            UUID update = UUID.randomUUID();
            writer.append(UUID.randomUUID(), "Note", List.of(NewEvent.of(new Notes.NoteUpdated("x")).withEventId(update)),
                    ExpectedVersion.ANY);
            seed(writer, 10);
            SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(reader);
            SQLiteDeadLetterStore deadLetters = new SQLiteDeadLetterStore(reader);
            try (SubscriptionManager manager = SubscriptionManager.builder(reader).checkpoints(checkpoints)
                    .deadLetters(deadLetters).build()) {
                manager.subscribe("counting", SubscribingProcess.counting(), SubscriptionOptions.builder().batchSize(7).build());
                eventually("past every event", () -> checkpoints.find("counting").map(Checkpoint::position)
                        .orElse(0L) == reader.globalPosition());
            }

            assertThat(queryLong(db, "SELECT events FROM counted")).isEqualTo(20);
            assertThat(queryLong(db, "SELECT COUNT(*) FROM seen")).isEqualTo(20);
            assertThat(checkpoints.find("counting")).get().extracting(Checkpoint::eventsProcessed).isEqualTo(20L);
            assertThat(deadLetters.list("counting")).singleElement().satisfies(d -> {
                assertThat(d.eventId()).isEqualTo(update);
                assertThat(d.error()).contains("NoteUpdated").contains("register");
            });
        }
    }

    @Test
    void a_transactional_projection_is_refused_without_a_transactional_checkpoint_store() throws Exception {
        try (SQLiteEventStore store = new SQLiteEventStore(dir.resolve("refused.db").toString());
             SubscriptionManager manager = SubscriptionManager.builder(store).checkpoints(new InMemoryCheckpointStore())
                     .build()) {
            assertThatThrownBy(() -> manager.subscribe("counting", SubscribingProcess.counting(),
                    SubscriptionOptions.DEFAULTS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("TransactionalCheckpointStore");
        }
    }

    @Test
    void a_rebuild_of_a_transactional_projection_ends_with_exact_totals() throws Exception {
        Path db = dir.resolve("rebuild.db");
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), SubscribingProcess.registry())) {
            store.initialize();
            SubscribingProcess.createReadModel(db);
            seed(store, 100);
            SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(store);
            try (SubscriptionManager manager = SubscribingProcess.manager(store)) {
                manager.subscribe("counting", SubscribingProcess.counting(), SubscribingProcess.options());
                eventually("caught up", () -> checkpoints.find("counting").map(Checkpoint::position).orElse(0L) == 100);

                manager.rebuild("counting");
                seed(store, 50);

                eventually("rebuilt and caught up", () -> checkpoints.find("counting").map(Checkpoint::position)
                        .orElse(0L) == 150);
            }
            assertThat(queryLong(db, "SELECT events FROM counted")).isEqualTo(150);
            assertThat(queryLong(db, "SELECT COUNT(*) FROM seen")).isEqualTo(150);
        }
    }

    @Test
    void a_subscriber_process_killed_mid_batch_resumes_from_its_checkpoint_and_the_in_database_totals_are_exact()
            throws Exception {
        Path db = dir.resolve("killed-tx.db");
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), SubscribingProcess.registry())) {
            store.initialize();
            SubscribingProcess.createReadModel(db);
            seed(store, 3_000);
            SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(store);

            Process child = start("transactional", db.toString());
            eventually("the child has handled a few batches", () -> position(checkpoints, "counting") >= 500);
            // Half a batch later, so that the kill lands inside a batch rather than just after a checkpoint.
            Thread.sleep(25);
            child.destroyForcibly().waitFor();
            long atKill = position(checkpoints, "counting");

            try (SubscriptionManager manager = SubscribingProcess.manager(store)) {
                manager.subscribe("counting", SubscribingProcess.counting(), SubscribingProcess.options());
                eventually("caught up", () -> position(checkpoints, "counting") == 3_000);
            }
            System.out.printf("killed the transactional subscriber at checkpoint %d of 3000%n", atKill);
            assertThat(atKill).isLessThan(3_000);
            assertThat(queryLong(db, "SELECT events FROM counted")).isEqualTo(3_000);
            assertThat(queryLong(db, "SELECT COUNT(*) FROM seen")).isEqualTo(3_000);
        }
    }

    @Test
    void a_subscriber_process_killed_mid_batch_has_seen_every_event_at_least_once_after_restart() throws Exception {
        Path db = dir.resolve("killed-external.db");
        Path file = dir.resolve("external-read-model.txt");
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), SubscribingProcess.registry())) {
            store.initialize();
            seed(store, 3_000);
            SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(store);

            Process child = start("external", db.toString(), file.toString());
            eventually("the child has handled a few batches", () -> position(checkpoints, "external") >= 500);
            // Half a batch later, so that the kill lands inside a batch rather than just after a checkpoint.
            Thread.sleep(25);
            child.destroyForcibly().waitFor();

            try (SubscriptionManager manager = SubscribingProcess.manager(store)) {
                manager.subscribe("external", SubscribingProcess.appendingTo(file), SubscribingProcess.options());
                eventually("caught up", () -> position(checkpoints, "external") == 3_000);
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Set<String> distinct = new HashSet<>(lines);
            System.out.printf("external read model after kill -9: %d lines for %d events%n", lines.size(), distinct.size());
            assertThat(distinct).isEqualTo(ids(store).stream().map(UUID::toString).collect(Collectors.toSet()));
        }
    }

    private static long position(SQLiteCheckpointStore checkpoints, String name) {
        Optional<Checkpoint> c = checkpoints.find(name);
        return c.map(Checkpoint::position).orElse(0L);
    }

    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SubscribingProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("child.stderr.txt").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
