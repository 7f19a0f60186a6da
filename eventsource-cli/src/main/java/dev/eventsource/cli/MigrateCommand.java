package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.migration.MigrationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies every event of one store into another with {@link StoreMigration}: ids, versions, times,
 * tenant, metadata and payloads preserved, global order preserved. Resumable (run it again after
 * an interruption; what the target has is skipped) and verified at the end. A SQLite target file
 * the copy created is removed again if the copy fails before writing an event into it.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Copy every event from one store to another (e.g. SQLite to PostgreSQL), resumable, verified at the end.")
final class MigrateCommand extends BaseCommand {

    @Option(names = "--from", required = true, paramLabel = "URL", description = "The source store; must exist.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "URL",
            description = "The target store; created if missing. Best empty, or holding an earlier run of the same copy.")
    String to;

    @Option(names = "--batch-size", defaultValue = "10000",
            description = "Events per target transaction, 1 to 100000 (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
        if (from.equals(to)) {
            throw new CommandFailure(ExitCode.USAGE, "--from and --to are the same store (" + Stores.shown(from) + ")");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new CommandFailure(ExitCode.USAGE, "--batch-size must be between 1 and 100000; got " + batchSize);
        }
        MigrationReport report;
        Optional<Path> created = Stores.newSqliteFile(to);
        AtomicLong copied = new AtomicLong();
        try (EventStoreBackend source = Stores.openExisting(from);
             EventStoreBackend target = Stores.openOrCreate(to)) {
            try (Progress progress = progress("Copying", source.log().globalPosition(), "events")) {
                report = EventStoreBackend.copy(source, target, batchSize, p -> {
                    copied.set(p.copied());
                    progress.total(p.sourceEnd());
                    progress.update(p.sourcePosition());
                });
            }
        } catch (RuntimeException e) {
            if (copied.get() == 0) {
                Stores.removeCreated(created, e);
            }
            throw e;
        }
        out().println("Copied " + Human.count(report.events()) + " events from " + Stores.shown(from) + " to " + Stores.shown(to) + " ("
                + Human.count(report.copied()) + " written, " + Human.count(report.skipped()) + " already in the target).");
        out().println("Verified: all " + Human.count(report.streams()) + " streams have the same version in both stores."
                + " Took " + Human.duration(report.took()) + ".");
        return ExitCode.OK;
    }
}
