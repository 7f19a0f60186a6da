package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.LogStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts a store's events by event type and aggregate type, its streams, its first and last
 * positions and times, and its size on disk (SQLite: the database file plus its WAL and
 * shared-memory files; other stores: unknown). The store counts with
 * {@link dev.eventsource.store.RecordedEventReader#statistics}: aggregate queries over its indexes on
 * SQLite and PostgreSQL, so no event passes through the tool.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Counts by event type and aggregate type, streams, first/last positions and times, size on disk.")
final class StatsCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    TenantOption tenant = new TenantOption();

    @Override
    public Integer call() throws Exception {
        LogStatistics stats;
        long storePosition;
        try (EventStoreBackend backend = Stores.openExisting(url)) {
            storePosition = backend.log().globalPosition();
            stats = backend.log().statistics(tenant.filter(ReadOptions.builder()).build());
        }
        Map<String, Long> byEventType = stats.byEventType();
        Map<String, Long> byAggregateType = stats.byAggregateType();
        long events = stats.events();
        long firstPosition = stats.firstPosition();
        long lastPosition = stats.lastPosition();
        Instant firstAt = stats.firstEventAt();
        Instant lastAt = stats.lastEventAt();
        Optional<Long> size = Stores.sizeOnDisk(url);
        if (json) {
            ObjectNode root = EventJson.MAPPER.createObjectNode();
            root.put("store", Stores.shown(url));
            root.put("sizeBytes", size.orElse(null));
            root.put("events", events).put("streams", stats.streams());
            root.put("firstPosition", firstPosition).put("lastPosition", lastPosition).put("globalPosition", storePosition);
            root.put("firstEventAt", EventJson.time(firstAt)).put("lastEventAt", EventJson.time(lastAt));
            byEventType.forEach(root.putObject("eventTypes")::put);
            byAggregateType.forEach(root.putObject("aggregateTypes")::put);
            out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return ExitCode.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Store", Stores.shown(url)});
        rows.add(new String[] {"Size on disk", size.map(StatsCommand::bytes).orElse("unknown (not a file store)")});
        rows.add(new String[] {"Events", events == 0 ? "0" : Human.count(events) + " (positions " + Human.count(firstPosition)
                + " to " + Human.count(lastPosition) + ")"});
        rows.add(new String[] {"Streams", Human.count(stats.streams())});
        if (events > 0) {
            rows.add(new String[] {"First event", EventJson.time(firstAt)});
            rows.add(new String[] {"Last event", EventJson.time(lastAt)});
        }
        Table.print(out(), rows);
        section("Events by type", byEventType);
        section("Events by aggregate type", byAggregateType);
        return ExitCode.OK;
    }

    private void section(String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out().println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {title, "EVENTS"});
        counts.forEach((name, n) -> rows.add(new String[] {"  " + name, Long.toString(n)}));
        Table.print(out(), rows);
    }

    static String bytes(long n) {
        return n < 1024 ? n + " bytes" : Human.bytes(n) + " (" + Human.count(n) + " bytes)";
    }
}
