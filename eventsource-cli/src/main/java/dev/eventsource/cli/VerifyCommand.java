package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.TransientEventStoreException;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.store.StreamId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;

/**
 * Checks a store's integrity: first the database's own check of its storage (SQLite's
 * {@code PRAGMA quick_check}, or {@code integrity_check} with {@code --full}; backends without one
 * are noted), then the stored rows: in every stream the versions run 1, 2, 3... without gaps or
 * repeats; global positions strictly increase; every row can be read; every payload and every
 * metadata is a JSON object; and the version the store reports for each stream (its stream
 * bookkeeping) matches the last event actually stored, so no stream row is orphaned or out of
 * step. Exits 1 and lists the problems when there are any. Opens the store read-only.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check integrity: the database's own storage check, contiguous versions from 1 per stream, strictly"
                + " increasing positions, readable rows, valid JSON payloads and metadata, stream versions matching their"
                + " events. Exit code 1 when problems are found.")
final class VerifyCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--max-problems", defaultValue = "100",
            description = "List at most this many problems; all are counted (default: ${DEFAULT-VALUE}).")
    int maxProblems;

    @Option(names = "--full", description = "Run the database's thorough storage check (SQLite: PRAGMA integrity_check,"
            + " which also checks every index against its table) instead of the quick one (PRAGMA quick_check).")
    boolean full;

    @Option(names = "--json", description = "Print one JSON object: {ok, storageCheck, events, streams, problemCount, problems: [...]}.")
    boolean json;

    /** Failed reads in a row after which the damage is taken to be beyond single rows. */
    private static final int GIVE_UP_AFTER = 1_000;

    private final List<String> problems = new ArrayList<>();
    private long problemCount;

    @Override
    public Integer call() throws Exception {
        if (maxProblems < 0) {
            throw new CommandFailure(ExitCode.USAGE, "--max-problems must be >= 0; got " + maxProblems);
        }
        Map<StreamId, Long> versions = new HashMap<>();
        long events;
        String storage;
        try (EventStoreBackend backend = Stores.openExisting(url)) {
            // The database's own check and the stream index's versions are read on a second connection
            // and core while the rows are checked.
            java.util.concurrent.FutureTask<StorageResult> storageCheck = new java.util.concurrent.FutureTask<>(() ->
                    checkStorage(backend.storageCheck()).with(reportedVersions(backend.log())));
            Thread checker = new Thread(storageCheck, "eventsource-verify-storage");
            checker.setDaemon(true);
            checker.start();
            try {
                events = checkRows(backend.log(), versions);
                StorageResult checked = await(storageCheck);
                storage = storageFirst(checked);
                checkStreamVersions(checked.reported(), versions);
            } finally {
                checker.interrupt();
            }
        }
        if (json) {
            ObjectNode root = EventJson.MAPPER.createObjectNode();
            root.put("ok", problemCount == 0).put("storageCheck", storage).put("events", events)
                    .put("streams", versions.size()).put("problemCount", problemCount);
            problems.forEach(root.putArray("problems")::add);
            out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else if (problemCount == 0) {
            out().println("OK: " + Human.count(events) + " events in " + Human.count(versions.size()) + " stream(s); versions contiguous from 1,"
                    + " positions strictly increasing, payloads and metadata valid JSON, stream versions match their events.");
            out().println("Storage: " + storage + ".");
        } else {
            out().println(Human.count(problemCount) + " problem(s) in " + Human.count(events) + " events, " + Human.count(versions.size()) + " stream(s) of "
                    + Stores.shown(url) + ":");
            // Problems quote stored names and payloads, which may hold control characters.
            problems.forEach(p -> out().println(Terminal.printable("  - " + p)));
            if (problemCount > problems.size()) {
                out().println("  ... and " + (problemCount - problems.size()) + " more (raise --max-problems to list them)");
            }
            out().println("Storage: " + storage + ".");
        }
        if (problemCount > 0) {
            out().flush();
            throw new CommandFailure(ExitCode.FAILURE, "verify found " + problemCount + " problem(s) in " + Stores.shown(url));
        }
        return ExitCode.OK;
    }

    /** What the storage check says it checked, and the problems it found (listed before the rows'). */
    private record StorageResult(String summary, List<String> problems, Map<StreamId, Long> reported) {

        StorageResult(String summary, List<String> problems) {
            this(summary, problems, Map.of());
        }

        StorageResult with(Map<StreamId, Long> versions) {
            return new StorageResult(summary, problems, versions);
        }
    }

    /** Runs the backend's storage check (on its own thread: it records nothing itself); says what was checked. */
    private StorageResult checkStorage(Optional<StorageCheck> offered) {
        if (offered.isEmpty()) {
            return new StorageResult("not checked: this backend offers no storage check (PostgreSQL checks its own pages"
                    + " as it reads them; run amcheck for a deep check)", List.of());
        }
        String pragma = full ? "PRAGMA integrity_check" : "PRAGMA quick_check";
        List<String> found;
        try {
            found = offered.get().checkStorage(full);
        } catch (RuntimeException e) {
            if (isStoreUnavailable(e)) {
                throw e;
            }
            return new StorageResult(pragma + " found damage (it could not finish); restore the store from a backup",
                    List.of("storage: " + pragma + " stopped: " + e.getMessage()));
        }
        return new StorageResult(found.isEmpty() ? pragma + " found no damage" : pragma + " found damage; restore the store from a backup",
                found.stream().map(line -> "storage: " + pragma + " reports: " + line).toList());
    }

    private static StorageResult await(java.util.concurrent.FutureTask<StorageResult> check) {
        try {
            return check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCode.FAILURE, "interrupted while waiting for the storage check", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new CommandFailure(ExitCode.FAILURE, "the storage check failed: " + e.getCause(), e.getCause());
        }
    }

    /** Records the storage check's problems ahead of those found in the rows; returns its summary. */
    private String storageFirst(StorageResult storage) {
        List<String> rows = new ArrayList<>(problems);
        long rowCount = problemCount;
        problems.clear();
        problemCount = 0;
        storage.problems().forEach(this::problem);
        problemCount += rowCount;
        for (String row : rows) {
            if (problems.size() < maxProblems) {
                problems.add(row);
            }
        }
        return storage.summary();
    }

    /**
     * The version of every stream as the store's stream index reports it: one
     * {@link dev.eventsource.store.RecordedEventReader#listStreams} query (a {@code GROUP BY} over
     * the index in SQLite and PostgreSQL) instead of one version query per stream.
     */
    private static Map<StreamId, Long> reportedVersions(RecordedLog log) {
        Map<StreamId, Long> reported = new HashMap<>();
        for (var summary : log.listStreams(ReadOptions.ALL, 0, Integer.MAX_VALUE).streams()) {
            reported.put(summary.stream(), summary.version());
        }
        return reported;
    }

    /** Compares each stream's reported version with the last version its events showed. */
    private void checkStreamVersions(Map<StreamId, Long> reported, Map<StreamId, Long> versions) {
        if (versions.isEmpty()) {
            return;
        }
        try (Progress progress = progress("Verifying streams", versions.size(), "streams")) {
            long checked = 0;
            for (Map.Entry<StreamId, Long> stream : versions.entrySet()) {
                long version = reported.getOrDefault(stream.getKey(), 0L);
                if (version != stream.getValue()) {
                    problem(stream.getKey() + ": the store reports version " + version + " but its events end at v" + stream.getValue());
                }
                progress.update(++checked);
            }
        }
    }

    /**
     * Checks every row; returns how many were read. A row that cannot be read at all is a problem
     * too, named by the last readable position before it, and reading goes on after it: a failed
     * page is read again row by row to find the damaged row, and full pages resume after it.
     */
    private long checkRows(RecordedLog reader, Map<StreamId, Long> versions) {
        long end = reader.globalPosition();
        long events = 0;
        long previous = 0;
        long cursor = 0;
        boolean rowByRow = false;
        boolean skipped = false;
        String lastFailure = null;
        int failuresInARow = 0;
        try (Progress progress = progress("Verifying events", end, "events")) {
            while (true) {
                boolean restart = false;
                ReadOptions page = ReadOptions.builder().pageSize(rowByRow ? 1 : 5_000).fromPosition(cursor).build();
                // Rows are read ahead on a second thread and their JSON checked on every core; the checks that
                // need the order (positions, versions per stream) run here.
                try (ReadAhead<Read> it = ReadAhead.start("eventsource-verify-reader", () -> reader.readRecorded(page),
                        Read::of, ReadAhead.workersForCores())) {
                    while (it.hasNext()) {
                        Read read = it.next();
                        RecordedEvent row = read.row();
                        events++;
                        check(read, previous, versions);
                        previous = Math.max(previous, row.globalPosition());
                        cursor = row.globalPosition();
                        lastFailure = null;
                        failuresInARow = 0;
                        progress.update(row.globalPosition());
                        if (skipped) {
                            // Past the damage: back to full pages.
                            rowByRow = false;
                            skipped = false;
                            restart = true;
                            break;
                        }
                    }
                } catch (RuntimeException e) {
                    if (isStoreUnavailable(e)) {
                        throw e;
                    }
                    if (!rowByRow) {
                        rowByRow = true;
                        continue;
                    }
                    String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                    // Positions may have gaps, so the same damaged row can fail again from the next position.
                    if (!Objects.equals(failure, lastFailure)) {
                        problem("the row after position " + cursor + " cannot be read (" + failure + ")");
                        lastFailure = failure;
                    }
                    skipped = true;
                    if (++cursor >= end) {
                        return events;
                    }
                    if (++failuresInARow == GIVE_UP_AFTER) {
                        problem("stopped reading rows after position " + cursor + ": " + GIVE_UP_AFTER + " positions in a"
                                + " row could not be read, so the damage is not in single rows; restore the store from a backup");
                        return events;
                    }
                    continue;
                }
                if (!restart) {
                    return events;
                }
            }
        }
    }

    /** A row as read, and whether its payload and its metadata are JSON objects (checked on a worker). */
    private record Read(RecordedEvent row, boolean payloadIsObject, boolean metadataIsObject) {

        static Read of(RecordedEvent row) {
            String metadata = row.metadataJson();
            return new Read(row, EventJson.isObject(row.payloadJson()),
                    metadata == null || "{}".equals(metadata) || EventJson.isObject(metadata));
        }
    }

    private void check(Read read, long previous, Map<StreamId, Long> versions) {
        RecordedEvent row = read.row();
        try {
            if (row.globalPosition() <= previous) {
                problem(where(row) + ": global position does not increase (follows position " + previous + ")");
            }
            if (row.eventId() == null || row.aggregateId() == null || row.eventType() == null || row.occurredAt() == null
                    || row.recordedAt() == null) {
                problem(where(row) + ": a required column is empty (event id, aggregate id, event type or a time)");
            }
            StreamId stream = row.stream();
            long last = versions.getOrDefault(stream, 0L);
            if (row.version() != last + 1) {
                problem(where(row) + ": version " + row.version() + " follows "
                        + (last == 0 ? "the start of the stream" : "v" + last) + "; expected v" + (last + 1));
            }
            versions.put(stream, Math.max(last, row.version()));
        } catch (RuntimeException e) {
            problem(where(row) + ": the row is damaged (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (!read.payloadIsObject()) {
            problem(where(row) + ": payload is not a JSON object: " + EventJson.abbreviate(row.payloadJson()));
        }
        if (!read.metadataIsObject()) {
            problem(where(row) + ": metadata is not a JSON object: " + EventJson.abbreviate(row.metadataJson()));
        }
    }

    /** Names a row in a problem (built only when there is one: verify reads every row). */
    private static String where(RecordedEvent row) {
        return "position " + row.globalPosition() + " (" + row.aggregateType() + "/" + row.aggregateId() + " v"
                + row.version() + ", event " + row.eventId() + ")";
    }

    /**
     * Failures of the store as a whole (locked, connection lost, closed) end the command; damage to a
     * row does not, and a corrupt page is damage the check reports.
     */
    private static boolean isStoreUnavailable(RuntimeException e) {
        return e instanceof TransientEventStoreException || e instanceof StoreClosedException;
    }

    private void problem(String text) {
        problemCount++;
        if (problems.size() < maxProblems) {
            problems.add(text);
        }
    }
}
