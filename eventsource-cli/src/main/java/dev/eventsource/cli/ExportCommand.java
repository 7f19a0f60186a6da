package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.stream.Stream;

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
        Path partial = toStdout ? null : target.resolveSibling(target.getFileName() + ".partial");
        long count = 0;
        try (EventStoreBackend backend = Stores.openExisting(url);
             Writer writer = toStdout ? keepOpen(out()) : Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
             Progress progress = progress("Exporting", backend.log().globalPosition(), "events");
             Stream<RecordedEvent> rows = backend.log().readRecorded(tenant.filter(ReadOptions.builder().pageSize(5_000)).build())) {
            for (Iterator<RecordedEvent> it = rows.iterator(); it.hasNext(); ) {
                RecordedEvent row = it.next();
                writer.write(EventJson.toLine(row));
                writer.write('\n');
                count++;
                progress.update(row.globalPosition());
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
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out().println("Exported " + Human.count(count) + " events from " + Stores.shown(url) + " to " + outFile + ".");
        }
        return ExitCode.OK;
    }

    /** Stdout belongs to the caller: flushed at the end, never closed. */
    private static Writer keepOpen(Writer writer) {
        return new FilterWriter(writer) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
