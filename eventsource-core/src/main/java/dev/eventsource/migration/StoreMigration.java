package dev.eventsource.migration;

import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.EventLookup;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.StreamId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Copies every event from one store to another, for moving between backends (SQLite to
 * PostgreSQL when an application outgrows one process).
 *
 * <p>Event ids, stream versions, occurrence and recording times, tenant, metadata and payload
 * JSON are preserved, and the global order is preserved (the target assigns its own positions in
 * the same order). Payloads are copied as stored, so no event class is needed. Copying is
 * idempotent by event id: re-running a copy that was interrupted skips what the target already
 * has and continues. At the end the copy is verified: every source event is in the target and
 * every stream has the same version in both; otherwise {@link MigrationVerificationException}.
 *
 * <p>It takes the roles it uses: the source's {@link RecordedLog} (stored rows, and its head
 * position for progress) and a target that is an {@link EventImporter} and an {@link EventLookup}
 * (stream versions, to verify). Every built-in store is both; a backend hands them out as
 * {@code backend.log()} and {@code backend.importer()}, and {@code EventStoreBackend.copy} takes two
 * backends.
 *
 * <p>Refused: the same object as source and target, a target holding different events under the
 * same ids or stream versions ({@code ImportConflictException}).
 */
public final class StoreMigration {

    /** Rows per target transaction when none is given. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private StoreMigration() {
    }

    /** Copies and verifies, without progress reports. */
    public static <T extends EventImporter & EventLookup> MigrationReport copy(RecordedLog source, T target) {
        return copy(source, target, DEFAULT_BATCH_SIZE, progress -> { });
    }

    /**
     * Copies and verifies, reporting progress after each batch.
     *
     * @param batchSize rows per target transaction, 1 to 100000
     */
    public static <T extends EventImporter & EventLookup> MigrationReport copy(RecordedLog source, T target, int batchSize,
                                                                               Consumer<MigrationProgress> progress) {
        return copy(source, target, target, batchSize, progress);
    }

    /**
     * Copies and verifies with the target's roles given one by one: {@code importer} writes,
     * {@code targetVersions} answers the stream versions the verification compares.
     *
     * @param batchSize rows per target transaction, 1 to 100000
     */
    public static MigrationReport copy(RecordedLog source, EventImporter importer, EventLookup targetVersions, int batchSize,
                                       Consumer<MigrationProgress> progress) {
        Objects.requireNonNull(importer, "importer");
        Objects.requireNonNull(targetVersions, "targetVersions");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(progress, "progress");
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 100000; got " + batchSize);
        }
        if (source == importer || source == targetVersions) {
            throw new IllegalArgumentException("source and target are the same store");
        }
        long started = System.nanoTime();
        long end = source.globalPosition();
        Map<StreamId, Long> versions = new HashMap<>();
        long read = 0;
        long copied = 0;
        long skipped = 0;
        ReadOptions all = ReadOptions.builder().pageSize(Math.min(batchSize, 100_000)).build();
        try (ReadAhead ahead = new ReadAhead(source, all, batchSize)) {
            for (List<RecordedEvent> batch = ahead.next(); batch != null; batch = ahead.next()) {
                // imported first: a row no store can take is refused by the importer, naming it
                EventImporter.ImportResult result = importer.importRecorded(batch);
                for (RecordedEvent imported : batch) {
                    versions.merge(imported.stream(), imported.version(), Math::max);
                }
                read += batch.size();
                copied += result.imported();
                skipped += result.skipped();
                progress.accept(new MigrationProgress(read, copied, skipped, batch.get(batch.size() - 1).globalPosition(), end));
            }
        }
        verify(targetVersions, versions, read, copied + skipped);
        return new MigrationReport(read, copied, skipped, versions.size(), Duration.ofNanos(System.nanoTime() - started));
    }

    private static void verify(EventLookup target, Map<StreamId, Long> versions, long read, long accounted) {
        List<String> problems = new ArrayList<>();
        if (read != accounted) {
            problems.add("read " + read + " source events but the target accounted for " + accounted);
        }
        for (Map.Entry<StreamId, Long> stream : versions.entrySet()) {
            StreamId key = stream.getKey();
            long actual = target.getStreamVersion(key.aggregateId(), key.aggregateType());
            if (actual != stream.getValue()) {
                problems.add(key + " is at version " + actual + " in the target but " + stream.getValue() + " in the source");
            }
        }
        if (!problems.isEmpty()) {
            throw new MigrationVerificationException(problems);
        }
    }

    /**
     * Reads the source's batches on its own thread while the caller imports the batch before, so
     * reading one store and writing the other overlap (two cores instead of one). At most two
     * batches wait; they come in the source's order. A failure of the read is rethrown, as it was
     * thrown, by {@link #next}; {@link #close} stops the reading thread and waits for it, so the
     * source's read is over (its connection given back) when the copy returns.
     */
    private static final class ReadAhead implements AutoCloseable {

        private static final Object END = new Object();

        private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(2);
        private final Thread thread;

        ReadAhead(RecordedLog source, ReadOptions all, int batchSize) {
            thread = new Thread(() -> read(source, all, batchSize), "eventsource-migration-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read(RecordedLog source, ReadOptions all, int batchSize) {
            try {
                try (Stream<RecordedEvent> rows = source.readRecorded(all)) {
                    Iterator<RecordedEvent> it = rows.iterator();
                    List<RecordedEvent> batch = new ArrayList<>(batchSize);
                    while (it.hasNext()) {
                        batch.add(it.next());
                        if (batch.size() == batchSize) {
                            queue.put(batch);
                            batch = new ArrayList<>(batchSize);
                        }
                    }
                    if (!batch.isEmpty()) {
                        queue.put(batch);
                    }
                }
                queue.put(END);
            } catch (InterruptedException e) {
                // close(): the copy stopped; nobody waits for more.
            } catch (RuntimeException | Error e) {
                try {
                    queue.put(e);
                } catch (InterruptedException stopped) {
                    // close() while handing over the failure: nobody waits for it.
                }
            }
        }

        /** The next batch in the source's order, or null after the last. */
        @SuppressWarnings("unchecked")
        List<RecordedEvent> next() {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while copying events; the events imported so far stay"
                        + " imported, and running the same copy again resumes after them", e);
            }
            if (item instanceof RuntimeException e) {
                throw e;
            }
            if (item instanceof Error e) {
                throw e;
            }
            return item == END ? null : (List<RecordedEvent>) item;
        }

        @Override
        public void close() {
            thread.interrupt();
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
