package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.sqlite.Notes.NoteUpdated;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A separate JVM that appends to a SQLite file, for {@link MultiProcessTest}. It prints
 * {@code ACK <id>} on stdout for every append once the store has acknowledged it, and nothing
 * else on stdout. Every loop is bounded, so a forgotten process ends by itself.
 *
 * <ul>
 *   <li>{@code shared <db> <streamId> <count>}: {@code count} times, append one event to the shared
 *       stream with the version just read as expected version, retrying on conflict (prints the
 *       event id), then one event to a new stream of its own (prints the stream id).</li>
 *   <li>{@code batches <db> <threads>}: from several threads, append batches of
 *       {@link #BATCH} events to new streams until killed (prints the stream id).</li>
 * </ul>
 */
public final class AppendingProcess {

    static final int BATCH = 5;

    private AppendingProcess() {
    }

    public static void main(String[] args) throws Exception {
        EventRegistry registry = new EventRegistry().register(NoteCreated.class).register(NoteUpdated.class);
        try (SQLiteEventStore store = SQLiteEventStore.builder(args[1]).eventRegistry(registry)
                .busyTimeout(Duration.ofSeconds(60)).build()) {
            store.initialize();
            switch (args[0]) {
                case "shared" -> shared(store, UUID.fromString(args[2]), Integer.parseInt(args[3]));
                case "batches" -> batches(store, Integer.parseInt(args[2]));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
    }

    private static void shared(SQLiteEventStore store, UUID shared, int count) {
        for (int i = 0; i < count; i++) {
            NewEvent event = NewEvent.of(new NoteUpdated("from " + ProcessHandle.current().pid()));
            for (int attempt = 0; ; attempt++) {
                long version = store.getStreamVersion(shared, "Note");
                try {
                    store.append(shared, "Note", List.of(event), ExpectedVersion.exactly(version));
                    break;
                } catch (OptimisticLockException lost) {
                    if (attempt > 100_000) {
                        throw lost;
                    }
                }
            }
            ack(event.eventId());
            UUID own = UUID.randomUUID();
            store.appendEvents(own, "Note", List.of(new NoteCreated("own", "")), ExpectedVersion.NO_STREAM);
            ack(own);
        }
    }

    private static void batches(SQLiteEventStore store, int threads) throws InterruptedException {
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    UUID id = UUID.randomUUID();
                    List<NoteCreated> batch = new ArrayList<>();
                    for (int e = 0; e < BATCH; e++) {
                        batch.add(new NoteCreated("event " + e, "x".repeat(200)));
                    }
                    store.appendEvents(id, "Note", batch, ExpectedVersion.NO_STREAM);
                    ack(id);
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    private static void ack(UUID id) {
        System.out.println("ACK " + id);
        System.out.flush();
    }
}
