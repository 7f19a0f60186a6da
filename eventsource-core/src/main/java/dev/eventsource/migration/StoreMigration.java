package dev.eventsource.migration;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.EventImporter;
import dev.eventsource.store.spi.RecordedEvent;
import dev.eventsource.store.spi.RecordedEventReader;
import dev.eventsource.store.spi.StreamKey;

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
 * <p>Refused: a source that cannot list its stored rows or a target that cannot import them
 * ({@link IllegalArgumentException}; both built-in persistent stores and the in-memory store can), a target holding different
 * events under the same ids or stream versions ({@code ImportConflictException}).
 */
public final class StoreMigration {

    /** Rows per target transaction when none is given. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private StoreMigration() {
    }

    /** Copies and verifies, without progress reports. */
    public static MigrationReport copy(EventStore source, EventStore target) {
        return copy(source, target, DEFAULT_BATCH_SIZE, progress -> { });
    }

    /**
     * Copies and verifies, reporting progress after each batch.
     *
     * @param batchSize rows per target transaction, 1 to 100000
     */
    public static MigrationReport copy(EventStore source, EventStore target, int batchSize,
                                       Consumer<MigrationProgress> progress) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progress, "progress");
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 100000; got " + batchSize);
        }
        if (source == target) {
            throw new IllegalArgumentException("source and target are the same store");
        }
        if (!(source instanceof RecordedEventReader reader)) {
            throw new IllegalArgumentException(source + " cannot list its stored rows (it is no RecordedEventReader), so"
                    + " it cannot be a copy source");
        }
        if (!(target instanceof EventImporter importer)) {
            throw new IllegalArgumentException(target + " cannot import stored rows (it is no EventImporter), so it cannot"
                    + " be a copy target");
        }
        long started = System.nanoTime();
        long end = source.globalPosition();
        Map<StreamKey, Long> versions = new HashMap<>();
        long read = 0;
        long copied = 0;
        long skipped = 0;
        List<RecordedEvent> batch = new ArrayList<>(batchSize);
        ReadOptions all = ReadOptions.builder().pageSize(Math.min(batchSize, 100_000)).build();
        try (Stream<RecordedEvent> rows = reader.readRecorded(all)) {
            Iterator<RecordedEvent> it = rows.iterator();
            while (it.hasNext()) {
                RecordedEvent row = it.next();
                versions.merge(row.stream(), row.version(), Math::max);
                batch.add(row);
                if (batch.size() == batchSize || !it.hasNext()) {
                    EventImporter.ImportResult result = importer.importRecorded(batch);
                    read += batch.size();
                    copied += result.imported();
                    skipped += result.skipped();
                    progress.accept(new MigrationProgress(read, copied, skipped, row.globalPosition(), end));
                    batch.clear();
                }
            }
        }
        verify(target, versions, read, copied + skipped);
        return new MigrationReport(read, copied, skipped, versions.size(), Duration.ofNanos(System.nanoTime() - started));
    }

    private static void verify(EventStore target, Map<StreamKey, Long> versions, long read, long accounted) {
        List<String> problems = new ArrayList<>();
        if (read != accounted) {
            problems.add("read " + read + " source events but the target accounted for " + accounted);
        }
        for (Map.Entry<StreamKey, Long> stream : versions.entrySet()) {
            StreamKey key = stream.getKey();
            long actual = target.getStreamVersion(key.aggregateId(), key.aggregateType());
            if (actual != stream.getValue()) {
                problems.add(key + " is at version " + actual + " in the target but " + stream.getValue() + " in the source");
            }
        }
        if (!problems.isEmpty()) {
            throw new MigrationVerificationException(problems);
        }
    }
}
