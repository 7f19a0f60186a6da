package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.SerializationException;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.wire.EventDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Imports a JSON Lines export (see {@link EventJson}) through the store's
 * {@link EventImporter}, in batches, each written atomically. Idempotent: events whose ids are
 * already stored at the same place are skipped, so an interrupted or failed import is fixed by
 * running it again. A malformed line or a conflicting event stops the import; the error names the
 * line and says exactly which lines were imported before it (every earlier batch) and which were
 * not (the failing batch and everything after it). A SQLite file the import created is removed
 * again if the import fails before writing an event into it.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a JSON Lines export into a store (created if missing); idempotent, so it can be re-run.")
final class ImportCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The target store (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--in", required = true, paramLabel = "FILE.jsonl", description = "The file to read, or - for stdin.")
    String inFile;

    @Option(names = "--batch-size", defaultValue = "10000",
            description = "Lines per transaction (default: ${DEFAULT-VALUE}); a failing line stops its whole batch.")
    int batchSize;

    private long imported;
    private long skipped;
    private int committedThrough;

    @Mixin
    TenantOption tenant = new TenantOption();

    private long otherTenants;

    @Override
    public Integer call() throws IOException {
        tenant.tenant();   // a malformed --tenant is a usage error before anything is read or created
        if (batchSize < 1 || batchSize > 100_000) {
            throw new CommandFailure(ExitCode.USAGE, "--batch-size must be between 1 and 100000; got " + batchSize);
        }
        boolean fromStdin = inFile.equals("-");
        String name = fromStdin ? "stdin" : inFile;
        long size = fromStdin ? 0 : fileSize(Path.of(inFile));
        Optional<Path> created = Stores.newSqliteFile(url);
        try (JsonLinesReader in = new JsonLinesReader(fromStdin ? System.in : Files.newInputStream(Path.of(inFile)));
             EventStoreBackend backend = Stores.openOrCreate(url);
             Progress progress = progress("Importing", size, "bytes");
             // Into a store that was empty when the import began nothing is already there: no ids to look up.
             Parser parser = new Parser(in, name, backend.log().globalPosition() == 0 ? null : backend.importer())) {
            EventImporter importer = backend.importer();
            parser.start();
            while (true) {
                Chunk chunk = parser.next();
                if (chunk.failure() != null) {
                    throw chunk.failure().apply(chunk.lines());
                }
                write(importer, chunk.rows(), chunk.lines(), name);
                skipped += chunk.alreadyThere();
                committedThrough = Math.max(committedThrough, chunk.lastLine());
                progress.update(chunk.bytes());
                if (chunk.last()) {
                    otherTenants = chunk.otherTenants();
                    break;
                }
            }
            progress.update(size);
        } catch (IOException | RuntimeException e) {
            if (imported == 0) {
                Stores.removeCreated(created, e);
            }
            throw e;
        }
        out().println("Imported " + name + " into " + Stores.shown(url) + " (" + Human.count(imported) + " events written, "
                + Human.count(skipped) + " already there"
                + (tenant.tenant == null ? "" : "; " + Human.count(otherTenants) + " of other tenants left out") + ").");
        return ExitCode.OK;
    }

    /**
     * One batch as parsed, in input order: its rows and their line numbers, the bytes read through
     * its end, how many of its lines were recognised as already stored without parsing them
     * ({@code alreadyThere}) and its last line; or, instead of rows, the line that stops the
     * import ({@code failure}, given the line numbers of the partial batch before it); {@code last}
     * for the final one.
     */
    private record Chunk(List<RecordedEvent> rows, List<Integer> lines, long bytes, boolean last, long otherTenants,
                         long alreadyThere, int lastLine,
                         java.util.function.Function<List<Integer>, CommandFailure> failure) {
    }

    /**
     * A batch of lines as read, with the rows already stored under their event ids (looked up in
     * bulk), or the line that stops the import ({@code failure}).
     */
    private record Lines(List<String> lines, List<Integer> lineNumbers, UUID[] ids, java.util.Map<UUID, RecordedEvent> stored,
                         long bytes, boolean last,
                         java.util.function.Function<List<Integer>, CommandFailure> failure) {
    }

    /**
     * Reads the input and looks its event ids up on one thread, recognises lines already stored and
     * parses the others on a second, while the calling thread writes the batch before: reading,
     * parsing and writing overlap (two cores instead of one). At most two batches wait between
     * stages; the order of batches, and of a malformed line after them, is the input's.
     */
    private final class Parser implements AutoCloseable {

        private final JsonLinesReader in;
        private final String name;
        private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(2);
        private final java.util.concurrent.BlockingQueue<Object> lookedUp = new java.util.concurrent.ArrayBlockingQueue<>(2);
        private final Thread thread;
        private final Thread reader;
        /** Where stored rows are looked up; null when the store was empty at the start (nothing to find). */
        private final EventImporter importer;

        Parser(JsonLinesReader in, String name, EventImporter importer) {
            this.in = in;
            this.name = name;
            this.importer = importer;
            this.reader = new Thread(this::runReader, "eventsource-import-reader");
            reader.setDaemon(true);
            this.thread = new Thread(this::run, "eventsource-import-parser");
            thread.setDaemon(true);
        }

        void start() {
            reader.start();
            thread.start();
        }

        /** The next batch, in input order; rethrows what the reading thread failed with. */
        Chunk next() throws IOException {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure(ExitCode.FAILURE, "interrupted while importing " + name, e);
            }
            if (item instanceof IOException e) {
                throw e;
            }
            if (item instanceof RuntimeException e) {
                throw e;
            }
            if (item instanceof Error e) {
                throw e;
            }
            return (Chunk) item;
        }

        private void runReader() {
            try {
                read();
            } catch (InterruptedException e) {
                // close(): the import stopped; nobody waits for more.
            } catch (IOException | RuntimeException | Error e) {
                try {
                    lookedUp.put(e);
                } catch (InterruptedException stopped) {
                    // close() while handing over the failure: nobody waits for it.
                }
            }
        }

        private void run() {
            try {
                parse();
            } catch (InterruptedException e) {
                // close(): the writer stopped; nobody waits for more.
            } catch (IOException | RuntimeException | Error e) {
                try {
                    queue.put(e);
                } catch (InterruptedException stopped) {
                    // close() while handing over the failure: nobody waits for it.
                }
            }
        }

        /** Hands over the read batches, in order, until the last or a failure (which it hands over too). */
        private void parse() throws IOException, InterruptedException {
            while (true) {
                Object item = lookedUp.take();
                if (item instanceof IOException e) {
                    throw e;
                }
                if (item instanceof RuntimeException e) {
                    throw e;
                }
                if (item instanceof Error e) {
                    throw e;
                }
                Lines batch = (Lines) item;
                if (batch.failure() != null) {
                    queue.put(new Chunk(List.of(), batch.lineNumbers(), batch.bytes(), true, others, 0, 0, batch.failure()));
                    return;
                }
                if (!flush(batch) || batch.last()) {
                    return;
                }
            }
        }

        private void read() throws IOException, InterruptedException {
            List<String> pending = new ArrayList<>(batchSize);
            List<Integer> pendingLines = new ArrayList<>(batchSize);
            int lineNo = 0;
            long bytes = 0;
            while (true) {
                String line;
                try {
                    line = in.readLine();
                } catch (JsonLinesReader.BadLine e) {
                    int at = lineNo + 1;
                    lookedUp.put(new Lines(pending, pendingLines, null, null, bytes, true,
                            batchLines -> refused(name, at, e.getMessage(), batchLines)));
                    return;
                }
                if (line == null) {
                    lookedUp.put(lookUp(pending, pendingLines, bytes, true));
                    return;
                }
                lineNo++;
                bytes += line.length() + 1;
                if (line.isBlank()) {
                    continue;
                }
                pending.add(line);
                pendingLines.add(lineNo);
                if (pending.size() == batchSize) {
                    lookedUp.put(lookUp(pending, pendingLines, bytes, false));
                    pending = new ArrayList<>(batchSize);
                    pendingLines = new ArrayList<>(batchSize);
                }
            }
        }

        private long others;

        /** The batch's event ids as found cheaply at the start of each line, and the rows stored under them. */
        private Lines lookUp(List<String> pending, List<Integer> pendingLines, long bytes, boolean last) {
            UUID[] ids = new UUID[pending.size()];
            List<UUID> lookup = new ArrayList<>(pending.size());
            for (int i = 0; i < ids.length; i++) {
                ids[i] = AlreadyStored.eventId(pending.get(i));
                if (ids[i] != null) {
                    lookup.add(ids[i]);
                }
            }
            java.util.Map<UUID, RecordedEvent> stored = lookup.isEmpty() || importer == null ? java.util.Map.of()
                    : importer.storedEvents(lookup);
            return new Lines(pending, pendingLines, ids, stored, bytes, last, null);
        }

        /**
         * Hands over one batch of lines: those that are, character for character, the export
         * document of the row stored under their event id (whatever their {@code globalPosition},
         * which an import does not keep) are already there and are counted without being parsed;
         * the others are parsed and go to the importer, which decides them under its contract
         * (skipped when the same event is stored, refused when it conflicts). Returns false when a
         * line could not be parsed: the failure was handed over instead and reading stops.
         */
        private boolean flush(Lines read) throws InterruptedException {
            List<String> pending = read.lines();
            List<Integer> pendingLines = read.lineNumbers();
            UUID[] ids = read.ids();
            java.util.Map<UUID, RecordedEvent> stored = read.stored();
            long bytes = read.bytes();
            boolean last = read.last();
            List<RecordedEvent> batch = new ArrayList<>(pending.size());
            List<Integer> lines = new ArrayList<>(pending.size());
            long alreadyThere = 0;
            for (int i = 0; i < ids.length; i++) {
                String line = pending.get(i);
                RecordedEvent there = ids[i] == null ? null : stored.get(ids[i]);
                if (there != null && EventDocument.isDocumentOf(line, there)) {
                    if (tenant.includes(there)) {
                        alreadyThere++;
                    } else {
                        others++;
                    }
                    continue;
                }
                RecordedEvent row;
                try {
                    row = EventJson.fromLine(line);
                } catch (IllegalArgumentException e) {
                    int at = pendingLines.get(i);
                    queue.put(new Chunk(List.of(), lines, bytes, true, others, 0, 0,
                            batchLines -> refused(name, at, e.getMessage(), batchLines)));
                    return false;
                }
                if (!tenant.includes(row)) {
                    others++;
                    continue;
                }
                batch.add(row);
                lines.add(pendingLines.get(i));
            }
            int lastLine = pendingLines.isEmpty() ? 0 : pendingLines.get(pendingLines.size() - 1);
            queue.put(new Chunk(batch, lines, bytes, last, others, alreadyThere, lastLine, null));
            return true;
        }

        /** Stops the reading threads if they still run (the import failed); each ends at its next hand-over. */
        @Override
        public void close() {
            reader.interrupt();
            thread.interrupt();
        }
    }

    private void write(EventImporter importer, List<RecordedEvent> batch, List<Integer> lines, String name) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            EventImporter.ImportResult result = importer.importRecorded(batch);
            imported += result.imported();
            skipped += result.skipped();
        } catch (ImportConflictException e) {
            throw rejectedRow(batch, lines, name, e.eventId(), e);
        } catch (SerializationException e) {
            if (e.eventId() == null) {
                throw e;
            }
            throw rejectedRow(batch, lines, name, e.eventId(), e);
        }
        committedThrough = lines.get(lines.size() - 1);
        batch.clear();
        lines.clear();
    }

    /** A row the store refused, named by the line that holds it: the last one with that id (an earlier one is what it conflicts with). */
    private CommandFailure rejectedRow(List<RecordedEvent> batch, List<Integer> lines, String name, UUID eventId,
                                       RuntimeException e) {
        int at = batch.size() - 1;
        while (at > 0 && !batch.get(at).eventId().equals(eventId)) {
            at--;
        }
        return new CommandFailure(ExitCode.DATA_REJECTED, name + " line " + lines.get(at) + ": " + e.getMessage() + " "
                + imported(lines.get(0)), e);
    }

    /** A line that cannot be imported: the import stops, saying what was imported before it. */
    private CommandFailure refused(String name, int lineNo, String why, List<Integer> batchLines) {
        int batchStart = batchLines.isEmpty() ? lineNo : batchLines.get(0);
        return new CommandFailure(ExitCode.DATA_REJECTED, name + " line " + lineNo + ": " + why + ". " + imported(batchStart)
                + " Fix the line and run the same import again (events already imported are skipped).");
    }

    /** What was imported before the batch starting at {@code batchStart} failed: every earlier batch, nothing after. */
    private String imported(int batchStart) {
        return committedThrough == 0 ? "Nothing was imported."
                : "Lines 1-" + committedThrough + " were imported before it (" + imported + " events written, "
                        + skipped + " already there); nothing from line " + batchStart + " on was imported.";
    }

    private static long fileSize(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new CommandFailure(ExitCode.USAGE, path.toAbsolutePath().normalize() + " is a directory; give the JSON"
                    + " Lines file to import (as written by export), or - for stdin");
        }
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            throw new CommandFailure(ExitCode.USAGE, "no file " + path.toAbsolutePath() + " to import", e);
        }
    }
}
