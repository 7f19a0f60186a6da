package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.SerializationException;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.RecordedEvent;
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
             Parser parser = new Parser(in, name)) {
            EventImporter importer = backend.importer();
            parser.start();
            while (true) {
                Chunk chunk = parser.next();
                if (chunk.failure() != null) {
                    throw chunk.failure().apply(chunk.lines());
                }
                write(importer, chunk.rows(), chunk.lines(), name);
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
     * its end; or, instead of rows, the line that stops the import ({@code failure}, given the
     * line numbers of the partial batch before it); {@code last} for the final one.
     */
    private record Chunk(List<RecordedEvent> rows, List<Integer> lines, long bytes, boolean last, long otherTenants,
                         java.util.function.Function<List<Integer>, CommandFailure> failure) {
    }

    /**
     * Reads and parses the input on its own thread while the calling thread writes the batch before,
     * so parsing JSON and writing to the store overlap (two cores instead of one). At most two parsed
     * batches wait; the order of batches, and of a malformed line after them, is the input's.
     */
    private final class Parser implements AutoCloseable {

        private final JsonLinesReader in;
        private final String name;
        private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(2);
        private final Thread thread;

        Parser(JsonLinesReader in, String name) {
            this.in = in;
            this.name = name;
            this.thread = new Thread(this::run, "eventsource-import-parser");
            thread.setDaemon(true);
        }

        void start() {
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

        private void parse() throws IOException, InterruptedException {
            List<RecordedEvent> batch = new ArrayList<>(batchSize);
            List<Integer> lines = new ArrayList<>(batchSize);
            int lineNo = 0;
            long bytes = 0;
            long others = 0;
            while (true) {
                String line;
                try {
                    line = in.readLine();
                } catch (JsonLinesReader.BadLine e) {
                    int at = lineNo + 1;
                    queue.put(new Chunk(List.of(), lines, bytes, true, others, batchLines -> refused(name, at, e.getMessage(), batchLines)));
                    return;
                }
                if (line == null) {
                    queue.put(new Chunk(batch, lines, bytes, true, others, null));
                    return;
                }
                lineNo++;
                bytes += line.length() + 1;
                if (line.isBlank()) {
                    continue;
                }
                RecordedEvent row;
                try {
                    row = EventJson.fromLine(line);
                } catch (IllegalArgumentException e) {
                    int at = lineNo;
                    queue.put(new Chunk(List.of(), lines, bytes, true, others, batchLines -> refused(name, at, e.getMessage(), batchLines)));
                    return;
                }
                if (!tenant.includes(row)) {
                    others++;
                    continue;
                }
                batch.add(row);
                lines.add(lineNo);
                if (batch.size() == batchSize) {
                    queue.put(new Chunk(batch, lines, bytes, false, others, null));
                    batch = new ArrayList<>(batchSize);
                    lines = new ArrayList<>(batchSize);
                }
            }
        }

        /** Stops the reading thread if it still runs (the import failed); it ends at its next hand-over. */
        @Override
        public void close() {
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
