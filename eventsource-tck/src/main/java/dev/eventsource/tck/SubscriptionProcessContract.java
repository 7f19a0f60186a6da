package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions in child JVMs ({@link SubscribingProcess}) across the two ways a process ends:
 * <ul>
 *   <li>SIGTERM ({@link Process#destroy()} on Linux) with {@code drainOnShutdown}: the batch in flight
 *       is finished and the checkpoint saved, so it equals the last event handled;</li>
 *   <li>{@code kill -9} of the active instance of an exclusive transactional projection: the standby
 *       takes the lock and goes on from the checkpoint, and every event is in the read model exactly once.</li>
 * </ul>
 * A backend implements {@link #newDatabaseUrl()}: a URL that {@link EventStoreBackends#open} opens, in
 * this JVM and in a child, on a new empty database with transactional checkpoints.
 */
public abstract class SubscriptionProcessContract {

    /** A new, empty database's URL, for {@link EventStoreBackends#open(String, EventRegistry)}. */
    protected abstract String newDatabaseUrl();

    @TempDir
    Path dir;

    @Test
    void sigterm_drains_the_batch_in_flight_and_the_checkpoint_equals_the_last_handled_event() throws Exception {
        String url = newDatabaseUrl();
        Path progress = dir.resolve("progress.txt");
        List<Process> children = new ArrayList<>();
        try (EventStoreBackend backend = open(url)) {
            append(backend.store(), 300);
            Process child = start(List.of("drain", url, progress.toString()), "drain", children);
            await("the child to handle a few batches", () -> handled(progress).size() >= 25);
            child.destroy();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ended after SIGTERM").isTrue();
            assertThat(child.exitValue()).as("ended by SIGTERM (128 + 15)").isEqualTo(143);

            List<Long> positions = handled(progress);
            long last = positions.get(positions.size() - 1);
            Checkpoint checkpoint = backend.checkpoints().find(SubscribingProcess.DRAINED).orElseThrow();
            assertThat(checkpoint.position()).as("the checkpoint is the last handled event").isEqualTo(last);
            assertThat(last % SubscribingProcess.DRAIN_BATCH).as("the batch in flight was finished").isZero();
            assertThat(last).as("it stopped before the end of the log").isLessThan(300);
            List<Long> expected = new ArrayList<>();
            for (long p = 1; p <= last; p++) {
                expected.add(p);
            }
            assertThat(positions).as("each event once, in order").isEqualTo(expected);
            System.out.printf("drain test: SIGTERM after %d events, checkpoint at %d%n", positions.size(), checkpoint.position());
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void kill_9_of_the_active_instance_hands_the_projection_to_the_standby_and_each_event_is_projected_once()
            throws Exception {
        String url = newDatabaseUrl();
        List<Process> children = new ArrayList<>();
        try (EventStoreBackend backend = open(url)) {
            TransactionalCheckpointStore sql = backend.transactionalCheckpoints().orElseThrow(() ->
                    new AssertionError(backend + " has no transactional checkpoints; this suite is for SQL backends"));
            String table = "failover_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            sql.saveInTransaction(null, c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE " + table + " (event_id VARCHAR(36) NOT NULL, run VARCHAR(8) NOT NULL)");
                }
            });
            append(backend.store(), 300);
            Process a = start(List.of("project", url, table, "a"), "a", children);
            Process b = start(List.of("project", url, table, "b"), "b", children);
            await("a quarter of the rows", () -> rows(sql, table).values().stream().mapToLong(Long::longValue).sum() >= 75);
            Map<String, Long> before = rows(sql, table);
            assertThat(before).as("one instance projects at a time").hasSize(1);
            String active = before.keySet().iterator().next();
            String standby = active.equals("a") ? "b" : "a";
            (active.equals("a") ? a : b).destroyForcibly().waitFor();
            long killedAt = System.nanoTime();

            append(backend.store(), 200);
            await("the standby to take over", () -> rows(sql, table).containsKey(standby));
            long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            long head = backend.store().globalPosition();
            await("every event projected", () -> sql.find(SubscribingProcess.PROJECTED).map(Checkpoint::position)
                    .orElse(0L) == head);

            long[] counts = new long[2];
            sql.saveInTransaction(null, c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM " + table)) {
                    rs.next();
                    counts[0] = rs.getLong(1);
                    counts[1] = rs.getLong(2);
                }
            });
            assertThat(counts[1]).as("every event projected").isEqualTo(500);
            assertThat(counts[0]).as("each exactly once").isEqualTo(500);
            assertThat(rows(sql, table).keySet()).containsExactlyInAnyOrder("a", "b");
            System.out.printf("failover test: %s killed after %d rows; standby %s wrote its first row %d ms after the kill;"
                    + " rows per run %s%n", active, before.get(active), standby, takeoverMillis, rows(sql, table));
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    private static EventStoreBackend open(String url) {
        EventStoreBackend backend = EventStoreBackends.open(url, new EventRegistry().register(TckEvent.class));
        backend.store().initialize();
        return backend;
    }

    private static void append(EventStore store, int events) {
        for (int i = 0; i < events; i++) {
            store.appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("e" + i)), ExpectedVersion.NO_STREAM);
        }
    }

    private static Map<String, Long> rows(TransactionalCheckpointStore sql, String table) throws Exception {
        Map<String, Long> runs = new LinkedHashMap<>();
        sql.saveInTransaction(null, c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT run, count(*) FROM " + table + " GROUP BY run ORDER BY run")) {
                while (rs.next()) {
                    runs.put(rs.getString(1), rs.getLong(2));
                }
            }
        });
        return runs;
    }

    private static List<Long> handled(Path progress) {
        List<Long> positions = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(progress)) {
                if (!line.isBlank()) {
                    positions.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not there yet, or a line half written: read again at the next poll.
        }
        return positions;
    }

    private Process start(List<String> args, String run, List<Process> children) throws IOException {
        Process p = ChildJvm.start(SubscribingProcess.class, dir, "child-" + run, args);
        children.add(p);
        return p;
    }

    private static void await(String what, ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }
}
