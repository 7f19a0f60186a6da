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

    @Option(names = "--batch-size", defaultValue = "1000",
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
             Progress progress = progress("Importing", size, "bytes")) {
            EventImporter importer = backend.importer();
            List<RecordedEvent> batch = new ArrayList<>(batchSize);
            List<Integer> lines = new ArrayList<>(batchSize);
            int lineNo = 0;
            long bytes = 0;
            while (true) {
                String line;
                try {
                    line = in.readLine();
                } catch (JsonLinesReader.BadLine e) {
                    throw refused(name, lineNo + 1, e.getMessage(), lines);
                }
                if (line == null) {
                    break;
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
                    throw refused(name, lineNo, e.getMessage(), lines);
                }
                if (!tenant.includes(row)) {
                    otherTenants++;
                    progress.update(bytes);
                    continue;
                }
                batch.add(row);
                lines.add(lineNo);
                if (batch.size() == batchSize) {
                    write(importer, batch, lines, name);
                }
                progress.update(bytes);
            }
            write(importer, batch, lines, name);
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
