package dev.eventsource.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterQuery;
import dev.eventsource.subscription.DeadLetterStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter queue of a store's subscriptions: list (filtered, a page at a time), counts,
 * resolve one entry, purge resolved entries. Retrying runs the application's handler, so it is
 * done by the application ({@code SubscriptionManager.retryDeadLetter(s)}), not here.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "The dead-letter queue: list entries (filters, paging), stats per subscription and"
        + " error type, resolve an entry, purge resolved ones. Retrying runs your handler, so your application does it.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.StatsCommand.class, DlqCommand.ResolveCommand.class,
                DlqCommand.PurgeCommand.class})
final class DlqCommand extends BaseCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(err());
        return ExitCode.USAGE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Unresolved entries (or all with --all), oldest first, a page at a time.")
    static final class ListCommand extends BaseCommand {

        @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
                description = "The store (default: ${DEFAULT-VALUE}); must exist.")
        String url;

        @Option(names = "--subscription", paramLabel = "NAME", description = "Only this subscription's entries.")
        String subscription;

        @Option(names = "--type", paramLabel = "EVENT_TYPE", description = "Only entries of this event type.")
        String eventType;

        @Option(names = "--error", paramLabel = "TEXT", description = "Only entries whose error contains TEXT (case-sensitive).")
        String error;

        @Option(names = "--all", description = "Resolved entries too.")
        boolean all;

        @Option(names = "--after", paramLabel = "ID", defaultValue = "0", description = "Entries after this id (the next page).")
        long after;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many entries (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print one JSON object: {entries: [...], next}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            DeadLetterQuery query;
            try {
                query = DeadLetterQuery.all().after(after).limit(limit);
                query = subscription == null ? query : query.subscription(subscription);
                query = eventType == null ? query : query.eventType(eventType);
                query = error == null ? query : query.errorContaining(error);
                query = all ? query.includeResolved() : query;
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCode.USAGE, e.getMessage());
            }
            List<DeadLetter> page;
            try (EventStoreBackend backend = Stores.openExisting(url)) {
                page = backend.deadLetters().query(query);
            }
            Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
            if (json) {
                ObjectNode root = EventJson.MAPPER.createObjectNode();
                ArrayNode entries = root.putArray("entries");
                for (DeadLetter d : page) {
                    entries.addObject().put("id", d.id()).put("subscription", d.subscription())
                            .put("eventId", d.eventId().toString()).put("globalPosition", d.globalPosition())
                            .put("eventType", d.eventType()).put("error", d.error()).put("attempts", d.attempts())
                            .put("firstFailedAt", EventJson.time(d.firstFailedAt())).put("lastFailedAt", EventJson.time(d.lastFailedAt()))
                            .put("resolvedAt", EventJson.time(d.resolvedAt()));
                }
                root.put("next", next);
                out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
                return ExitCode.OK;
            }
            if (page.isEmpty()) {
                out().println("No dead letters" + (after > 0 ? " after id " + after : "") + ".");
                return ExitCode.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "SUBSCRIPTION", "POSITION", "EVENT TYPE", "ATTEMPTS", "LAST FAILED", "ERROR"});
            for (DeadLetter d : page) {
                rows.add(new String[] {Long.toString(d.id()), d.subscription(), Long.toString(d.globalPosition()), d.eventType(),
                        Integer.toString(d.attempts()), EventJson.time(d.lastFailedAt()) + (d.isResolved() ? " (resolved)" : ""),
                        shortened(d.error())});
            }
            Table.print(out(), rows);
            out().println(Human.count(page.size()) + (page.size() == 1 ? " entry" : " entries")
                    + (next == null ? "." : "; next page: --after " + next));
            return ExitCode.OK;
        }

        private static String shortened(String error) {
            String line = error.lines().findFirst().orElse("");
            return line.length() > 100 ? line.substring(0, 97) + "..." : line;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Unresolved entries counted per subscription and per error type.")
    static final class StatsCommand extends BaseCommand {

        @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
                description = "The store (default: ${DEFAULT-VALUE}); must exist.")
        String url;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            DeadLetterStats stats;
            try (EventStoreBackend backend = Stores.openExisting(url)) {
                stats = backend.deadLetters().stats();
            }
            if (json) {
                ObjectNode root = EventJson.MAPPER.createObjectNode();
                root.put("unresolved", stats.unresolved());
                stats.bySubscription().forEach(root.putObject("bySubscription")::put);
                stats.byErrorType().forEach(root.putObject("byErrorType")::put);
                out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
                return ExitCode.OK;
            }
            out().println(Human.count(stats.unresolved()) + " unresolved dead letter" + (stats.unresolved() == 1 ? "" : "s") + ".");
            section("Subscription", stats.bySubscription());
            section("Error type", stats.byErrorType());
            return ExitCode.OK;
        }

        private void section(String title, Map<String, Long> counts) {
            if (counts.isEmpty()) {
                return;
            }
            out().println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {title, "UNRESOLVED"});
            counts.forEach((name, n) -> rows.add(new String[] {"  " + name, Long.toString(n)}));
            Table.print(out(), rows);
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true, description = "Mark one entry handled (e.g. after fixing its data by hand); it leaves the queue.")
    static final class ResolveCommand extends BaseCommand {

        @Parameters(arity = "1..2", paramLabel = "[URL] ID", hideParamSyntax = true,
                description = "The store (default: " + Stores.DEFAULT_URL + "; must exist) and the entry's id.")
        List<String> arguments;

        @Override
        public Integer call() {
            String url = arguments.size() == 2 ? arguments.get(0) : Stores.DEFAULT_URL;
            String idText = arguments.get(arguments.size() - 1);
            long id;
            try {
                id = Long.parseLong(idText);
            } catch (NumberFormatException e) {
                throw new CommandFailure(ExitCode.USAGE, "'" + idText + "' is not an entry id; list them with: " + self() + " dlq list");
            }
            boolean resolved;
            try (EventStoreBackend backend = Stores.openExistingToChange(url)) {
                resolved = backend.deadLetters().resolve(id, Instant.now());
            }
            if (!resolved) {
                throw new CommandFailure(ExitCode.FAILURE, "no unresolved dead letter with id " + id + " in " + Stores.shown(url));
            }
            out().println("Resolved dead letter " + id + ".");
            return ExitCode.OK;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete entries resolved longer ago than --older-than; unresolved entries are kept.")
    static final class PurgeCommand extends BaseCommand {

        @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
                description = "The store (default: ${DEFAULT-VALUE}); must exist.")
        String url;

        @Option(names = "--older-than", required = true, converter = DurationConverter.class, paramLabel = "AGE",
                description = "Resolved at least this long ago, e.g. 30d, 12h.")
        Duration olderThan;

        @Override
        public Integer call() {
            if (olderThan.isNegative()) {
                throw new CommandFailure(ExitCode.USAGE, "--older-than must not be negative");
            }
            long purged;
            try (EventStoreBackend backend = Stores.openExistingToChange(url)) {
                purged = backend.deadLetters().purgeResolved(Instant.now().minus(olderThan));
            }
            out().println("Purged " + Human.count(purged) + " resolved dead letter" + (purged == 1 ? "" : "s")
                    + " older than " + Human.duration(olderThan) + ".");
            return ExitCode.OK;
        }
    }
}
