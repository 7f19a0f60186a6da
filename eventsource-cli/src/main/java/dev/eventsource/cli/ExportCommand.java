package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes every event of a store, in global order, as JSON Lines (see {@link EventJson}). A file is
 * written beside its final name and moved into place at the end, so an interrupted export never
 * leaves a truncated file that looks complete.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write every event, in global order, to a JSON Lines file (one event per line, every field kept).")
final class ExportCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The file to write, or - for stdout.")
    String outFile;

    @Mixin
    TenantOption tenant = new TenantOption();

    @Override
    public Integer call() throws IOException {
        boolean toStdout = outFile.equals("-");
        Path target = toStdout ? null : Path.of(outFile);
        if (target != null && Files.isDirectory(target)) {
            throw new CommandFailure(ExitCode.USAGE, outFile + " is a directory; give the file to write the export to"
                    + " (e.g. " + target.resolve("events.jsonl") + "), or - for stdout");
        }
        Path partial = toStdout ? null : target.resolveSibling(target.getFileName() + ".partial");
        long count = 0;
        // The rows are read a few thousand ahead on a second thread and encoded on every core while this
        // one writes them in order; a file gets the documents' UTF-8 bytes through a large buffer.
        try (EventStoreBackend backend = Stores.openExisting(url);
             OutputStream file = toStdout ? null : new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20);
             Progress progress = progress("Exporting", backend.log().globalPosition(), "events");
             ReadAhead<Encoded> rows = ReadAhead.start("eventsource-export-reader",
                     () -> backend.log().readRecorded(tenant.filter(ReadOptions.builder().pageSize(5_000)).build()),
                     row -> new Encoded(EventJson.toBytes(row), row.globalPosition()), ReadAhead.workersForCores())) {
            PrintWriter stdout = out();
            while (rows.hasNext()) {
                Encoded row = rows.next();
                if (file != null) {
                    file.write(row.document());
                    file.write('\n');
                } else {
                    stdout.write(new String(row.document(), StandardCharsets.UTF_8));
                    stdout.write('\n');
                }
                count++;
                progress.update(row.position());
            }
            if (file == null) {
                stdout.flush();   // stdout belongs to the caller: flushed, never closed
            }
        } catch (IOException | RuntimeException e) {
            if (partial != null) {
                Files.deleteIfExists(partial);
            }
            throw e;
        }
        if (toStdout) {
            hint("Exported " + count + " events from " + Stores.shown(url) + ".");
        } else {
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(partial);   // nothing half-done is left beside the target
                throw e;
            }
            out().println("Exported " + Human.count(count) + " events from " + Stores.shown(url) + " to " + outFile + ".");
        }
        return ExitCode.OK;
    }

    /** One row's document as UTF-8 bytes (no newline), and its global position for the progress. */
    private record Encoded(byte[] document, long position) {
    }
}
