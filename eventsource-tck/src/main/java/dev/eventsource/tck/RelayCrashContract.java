package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox proof, across {@code kill -9}: relays run in child JVMs ({@link RelayingProcess})
 * publishing to a durable file sink while this JVM appends, some appends failing (an
 * optimistic-lock conflict, a batch with an invalid event: rolled back). The first relay is killed
 * mid-stream; two more start side by side (one stands by on the relay's lock), the active one is
 * killed, the standby takes over and finishes. Then every committed event is in the sink, in order
 * per aggregate, none that was rolled back is, and each process's lines are one unbroken run (the
 * lock kept the two relays from publishing at once).
 *
 * <p>A backend implements {@link #newDatabaseUrl()}: a URL that {@link EventStoreBackends#open}
 * opens, in this JVM and in a child, on a new empty database.
 */
public abstract class RelayCrashContract {

    /** A new, empty database's URL, for {@link EventStoreBackends#open(String, EventRegistry)}. */
    protected abstract String newDatabaseUrl();

    @TempDir
    Path dir;

    private static final int AGGREGATES = 20;
    private static final int VERSIONS = 30;

    @Test
    void every_committed_event_is_published_and_no_rolled_back_one_is_across_kill_9_and_takeover() throws Exception {
        String url = newDatabaseUrl();
        Path sink = dir.resolve("sink.tsv");
        List<Process> children = new ArrayList<>();
        try (EventStoreBackend backend = EventStoreBackends.open(url, new EventRegistry().register(TckEvent.class))) {
            backend.store().initialize();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    write(backend.store());
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "crash-test-writer");

            Process first = start(url, sink, "a", children);
            writer.start();
            await("the first relay to publish mid-stream", () -> lines(sink) >= 120);
            first.destroyForcibly().waitFor();

            Process second = start(url, sink, "b", children);
            Process third = start(url, sink, "c", children);
            await("a second relay to take over", () -> linesOf(sink, "b") + linesOf(sink, "c") >= 100);
            Process active = linesOf(sink, "b") > 0 ? second : third;
            String standby = active == second ? "c" : "b";
            assertThat(linesOf(sink, standby)).as("the standby relay published nothing").isZero();
            active.destroyForcibly().waitFor();

            writer.join();
            assertThat(writerFailure.get()).isNull();
            List<StoredEvent> committed;
            try (Stream<StoredEvent> log = backend.store().readAll(ReadOptions.ALL)) {
                committed = log.toList();
            }
            Set<UUID> committedIds = new HashSet<>();
            committed.forEach(e -> committedIds.add(e.eventId()));
            await("the standby relay to publish every committed event", () -> distinctIds(sink).containsAll(committedIds));
            children.forEach(p -> p.destroyForcibly());

            List<FileSinkPublisher.Line> published = FileSinkPublisher.read(sink);
            assertThat(committed).hasSize(AGGREGATES * VERSIONS);
            assertThat(distinctIds(sink)).as("nothing but committed events").isEqualTo(committedIds);
            assertThat(published).noneMatch(l -> l.payload().contains("rolled-back"));
            Map<UUID, Long> lastVersion = new HashMap<>();
            Set<UUID> seen = new HashSet<>();
            for (FileSinkPublisher.Line line : published) {
                if (seen.add(line.eventId())) {
                    Long before = lastVersion.put(line.aggregateId(), line.version());
                    assertThat(before == null ? 0L : before).as("first sightings of %s in version order", line.aggregateId())
                            .isEqualTo(line.version() - 1);
                }
            }
            Map<String, Integer> runs = new LinkedHashMap<>();
            String previous = null;
            long lastPosition = 0;
            for (FileSinkPublisher.Line line : published) {
                if (!line.run().equals(previous)) {
                    assertThat(runs).as("each relay process publishes in one unbroken run").doesNotContainKey(line.run());
                    runs.put(line.run(), 0);
                    previous = line.run();
                } else {
                    assertThat(line.globalPosition()).as("one process publishes in log order").isGreaterThan(lastPosition);
                }
                lastPosition = line.globalPosition();
                runs.merge(line.run(), 1, Integer::sum);
            }
            assertThat(runs.keySet()).containsExactly("a", active == second ? "b" : "c", standby);
            System.out.printf("relay crash test: %d committed events, %d lines published (%d duplicates) by runs %s%n",
                    committed.size(), published.size(), published.size() - committed.size(), runs);
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    /** Appends AGGREGATES x VERSIONS committed events, with a conflicting append and an invalid batch now and then. */
    private static void write(EventStore store) throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int a = 0; a < AGGREGATES; a++) {
            ids.add(UUID.randomUUID());
        }
        for (int v = 1; v <= VERSIONS; v++) {
            for (UUID id : ids) {
                store.appendEvents(id, "Item", List.of(v == 1 ? new TckEvent.Created("committed") : new TckEvent.Renamed(
                        "committed", v)), ExpectedVersion.exactly(v - 1));
                if (v > 2 && id.equals(ids.get(v % AGGREGATES))) {
                    ExpectedVersion stale = ExpectedVersion.exactly(v - 2);
                    assertThatThrownBy(() -> store.appendEvents(id, "Item", List.of(new TckEvent.Renamed("rolled-back", 0)),
                            stale)).isInstanceOf(OptimisticLockException.class);
                    assertThatThrownBy(() -> store.append(UUID.randomUUID(), "Item", List.of(
                            NewEvent.of(new TckEvent.Created("rolled-back")),
                            NewEvent.of(new TckEvent.Created("rolled-back \uD800"))), ExpectedVersion.NO_STREAM))
                            .isInstanceOf(RuntimeException.class);
                }
            }
            Thread.sleep(10);
        }
    }

    private Process start(String url, Path sink, String run, List<Process> children) throws IOException {
        Process p = ChildJvm.start(RelayingProcess.class, dir, "child-" + run, List.of(url, sink.toString(), run));
        children.add(p);
        return p;
    }

    private static int lines(Path sink) {
        try {
            return FileSinkPublisher.read(sink).size();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int linesOf(Path sink, String run) {
        try {
            return (int) FileSinkPublisher.read(sink).stream().filter(l -> l.run().equals(run)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Set<UUID> distinctIds(Path sink) {
        Set<UUID> ids = new HashSet<>();
        try {
            FileSinkPublisher.read(sink).forEach(l -> ids.add(l.eventId()));
        } catch (IOException e) {
            // Read again at the next poll.
        }
        return ids;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
