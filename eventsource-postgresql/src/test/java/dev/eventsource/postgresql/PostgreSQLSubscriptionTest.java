package dev.eventsource.postgresql;

import dev.eventsource.postgresql.SubscribingProcess.NoteCreated;
import dev.eventsource.postgresql.internal.EventsTable;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamId;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL-only subscription behaviours of a transactional projection whose read model lives in
 * the store's schema: a subscriber process killed with {@code kill -9} mid-batch resumes from its
 * checkpoint with exact totals, and a rebuild while writers keep writing, one append transaction
 * held open across it, ends with exactly the {@code readAll} sequence.
 */
class PostgreSQLSubscriptionTest {

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

    private static void seed(PostgreSQLEventStore store, int events) {
        for (int i = 0; i < events; i += 10) {
            List<NoteCreated> batch = new ArrayList<>();
            for (int e = 0; e < 10; e++) {
                batch.add(new NoteCreated("note " + (i + e)));
            }
            store.appendEvents(UUID.randomUUID(), "Note", batch, ExpectedVersion.NO_STREAM);
        }
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long position(PostgreSQLCheckpointStore checkpoints, String name) {
        return checkpoints.find(name).map(Checkpoint::position).orElse(0L);
    }

    @Test
    void a_subscriber_process_killed_mid_batch_resumes_from_its_checkpoint_and_the_in_database_totals_are_exact()
            throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(SubscribingProcess.registry()).build()) {
            store.initialize();
            SubscribingProcess.createReadModel(schema);
            seed(store, 3_000);
            long head = store.globalPosition();
            PostgreSQLCheckpointStore checkpoints = new PostgreSQLCheckpointStore(store);

            Path stderr = dir.resolve("child.stderr.txt");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SubscribingProcess.class.getName(),
                    PostgresTestServer.url(), schema)
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                eventually("the child has handled a few batches (its stderr: " + stderr + ")",
                        () -> position(checkpoints, "counting") >= 500 || !child.isAlive());
                assertThat(child.isAlive()).as("the child died by itself: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
                        .isTrue();
                // Half a batch later, so that the kill lands inside a batch rather than just after a checkpoint.
                Thread.sleep(25);
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the killed child has exited").isTrue();
            long atKill = position(checkpoints, "counting");
            // The batch in flight was rolled back with its checkpoint: the read model matches the checkpoint.
            assertThat(queryLong("SELECT COUNT(*) FROM " + schema + ".seen")).isEqualTo(atKill);

            try (SubscriptionManager manager = SubscribingProcess.manager(store)) {
                manager.subscribe("counting", SubscribingProcess.counting(schema), SubscribingProcess.options());
                eventually("caught up", () -> position(checkpoints, "counting") == head);
            }
            System.out.printf("killed the PostgreSQL transactional subscriber at checkpoint %d of %d%n", atKill, head);
            assertThat(atKill).isLessThan(head);
            assertThat(queryLong("SELECT events FROM " + schema + ".counted")).isEqualTo(3_000);
            assertThat(queryLong("SELECT COUNT(*) FROM " + schema + ".seen")).isEqualTo(3_000);
        }
    }

    @Test
    void a_rebuild_while_writers_append_and_a_transaction_is_held_open_ends_with_exactly_the_readall_sequence()
            throws Exception {
        String schema = PostgresTestServer.freshSchema();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(SubscribingProcess.registry()).build();
             SubscriptionManager manager = SubscriptionManager.builder(store)
                     .checkpoints(new PostgreSQLCheckpointStore(store))
                     .appendNotifier(new PostgreSQLAppendNotifier(store)).build()) {
            store.initialize();
            SubscribingProcess.createReadModel(schema);
            seed(store, 1_000);
            PostgreSQLCheckpointStore checkpoints = new PostgreSQLCheckpointStore(store);
            manager.subscribe("counting", SubscribingProcess.counting(schema), SubscribingProcess.options());
            eventually("caught up before the rebuild", () -> position(checkpoints, "counting") == store.globalPosition());
            List<Future<?>> writing = new ArrayList<>();

            // An append whose position is taken now but committed only after later appends: the rebuild
            // must not move past it while it is open, nor lose it.
            try (Connection held = PostgresTestServer.connect()) {
                held.setAutoCommit(false);
                List<SerializedEvent> heldEvents = Stream.of(new NoteCreated("held open"))
                        .map(e -> store.mapper().serialize(NewEvent.of(e))).toList();
                long heldPosition = new EventsTable(schema, store.tablePrefix()).appendInTransaction(held,
                        new StreamId("Note", UUID.randomUUID()), heldEvents, ExpectedVersion.NO_STREAM,
                        Instant.now().truncatedTo(ChronoUnit.MICROS)).globalPosition();
                for (int w = 0; w < 2; w++) {
                    writing.add(writers.submit(() -> seed(store, 300)));
                }

                manager.rebuild("counting");
                eventually("the writers have appended past the held transaction",
                        () -> store.globalPosition() > heldPosition + 100);
                held.commit();
            }
            for (Future<?> w : writing) {
                w.get(60, TimeUnit.SECONDS);
            }
            long head = store.globalPosition();
            eventually("the rebuild is live again", () -> position(checkpoints, "counting") == head);

            List<UUID> log;
            try (Stream<StoredEvent> all = store.readAll()) {
                log = all.map(StoredEvent::eventId).toList();
            }
            List<UUID> applied = new ArrayList<>();
            try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT event_id FROM " + schema + ".seen ORDER BY applied_order")) {
                while (rs.next()) {
                    applied.add(rs.getObject(1, UUID.class));
                }
            }
            assertThat(log).hasSize(1_000 + 1 + 600);
            assertThat(applied).isEqualTo(log);
            assertThat(queryLong("SELECT events FROM " + schema + ".counted")).isEqualTo(log.size());
        } finally {
            writers.shutdownNow();
        }
    }
}
