package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Creates a store's schema, or upgrades it; harmless on a store that is up to date. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create or upgrade the schema of a store (a SQLite file is created if missing). Idempotent.")
final class InitCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}).")
    String url;

    @Override
    public Integer call() {
        try (EventStoreBackend backend = Stores.openOrCreate(url)) {
            out().println("Initialized " + Stores.shown(url) + ": schema ready, " + backend.log().globalPosition() + " events stored.");
        }
        return ExitCode.OK;
    }
}
