package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.RecordedEventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the global log: prints every new event as it is stored, by polling, until Ctrl-C (or
 * until {@code --max-events} or {@code --timeout}, for scripts). Starts at the end of the log
 * unless {@code --from-position} is given. Works across processes: another program appending to
 * the same store is seen at the next poll.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Follow the global log live, from the end or after a position, optionally filtered by type, until Ctrl-C.")
final class TailCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--from-position", paramLabel = "N",
            description = "Print the events after global position N (0 = from the beginning); default: only new events.")
    Long fromPosition;

    @Option(names = "--type", paramLabel = "EVENT_TYPE", split = ",",
            description = "Only events of these event types (repeatable or comma-separated).")
    List<String> eventTypes = new ArrayList<>();

    @Option(names = "--aggregate-type", paramLabel = "AGGREGATE_TYPE", split = ",",
            description = "Only events of streams of these aggregate types (repeatable or comma-separated).")
    List<String> aggregateTypes = new ArrayList<>();

    @Option(names = "--poll-interval", defaultValue = "500ms", converter = DurationConverter.class,
            description = "How often to look for new events (default: ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(names = "--max-events", paramLabel = "N", description = "Stop after printing N events.")
    Long maxEvents;

    @Option(names = "--timeout", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 30s (default: run until Ctrl-C).")
    Duration timeout;

    @Option(names = "--json", description = "One JSON object per line, in the export format.")
    boolean json;

    @Mixin
    TenantOption tenant = new TenantOption();

    @Override
    public Integer call() throws InterruptedException {
        if ((fromPosition != null && fromPosition < 0) || (maxEvents != null && maxEvents < 1)
                || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new CommandFailure(ExitCode.USAGE, "--from-position must be >= 0, --max-events >= 1 and --poll-interval positive");
        }
        ReadOptions.Builder filter = tenant.filter(ReadOptions.builder().pageSize(1_000));
        try {
            if (!eventTypes.isEmpty()) {
                filter.eventTypes(eventTypes.toArray(String[]::new));
            }
            if (!aggregateTypes.isEmpty()) {
                filter.aggregateTypes(aggregateTypes.toArray(String[]::new));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, "--type / --aggregate-type: " + e.getMessage());
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        long printed = 0;
        try (EventStoreBackend backend = Stores.openExisting(url)) {
            RecordedEventReader reader = backend.log();
            long cursor = fromPosition != null ? fromPosition : backend.log().globalPosition();
            hint("Following " + Stores.shown(url) + " after position " + cursor + " (Ctrl-C to stop)");
            while (true) {
                // Each page says where it got to, past rows the filter leaves out: a poll reads only what came since.
                RecordedPage page;
                do {
                    page = reader.readRecordedPage(filter.fromPosition(cursor).build());
                    for (RecordedEvent row : page.rows()) {
                        print(row);
                        if (maxEvents != null && ++printed >= maxEvents) {
                            return ExitCode.OK;
                        }
                    }
                    cursor = page.position();
                } while (!page.atEnd());
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return ExitCode.OK;
                }
                Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(), left / 1_000_000)));
            }
        }
    }

    private void print(RecordedEvent row) {
        if (json) {
            out().println(EventJson.toJson(row, false));
        } else {
            // Stored names and payloads may hold control characters; people's output shows them escaped.
            out().println(Terminal.printable("#" + row.globalPosition() + "  " + EventJson.time(row.occurredAt()) + "  "
                    + row.stream() + " v" + row.version() + "  " + row.eventType() + "  "
                    + EventJson.toJson(row, false).get("payload")));
        }
        out().flush();
    }
}
