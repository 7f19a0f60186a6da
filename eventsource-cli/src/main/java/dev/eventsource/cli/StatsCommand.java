package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StreamId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Counts a store's events by event type and aggregate type, its streams, its first and last
 * positions and times, and its size on disk (SQLite: the database file plus its WAL and
 * shared-memory files; other stores: unknown). Reads the whole log once.
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
        Map<String, Long> byEventType = new TreeMap<>();
        Map<String, Long> byAggregateType = new TreeMap<>();
        Set<StreamId> streams = new HashSet<>();
        long events = 0;
        long firstPosition = 0;
        long lastPosition = 0;
        Instant firstAt = null;
        Instant lastAt = null;
        long storePosition;
        try (EventStoreBackend backend = Stores.openExisting(url)) {
            storePosition = backend.log().globalPosition();
            try (Progress progress = progress("Counting", storePosition, "events");
                 Stream<RecordedEvent> rows = backend.log().readRecorded(tenant.filter(ReadOptions.builder().pageSize(5_000)).build())) {
                for (var it = rows.iterator(); it.hasNext(); ) {
                    RecordedEvent row = it.next();
                    events++;
                    byEventType.merge(row.eventType(), 1L, Long::sum);
                    byAggregateType.merge(row.aggregateType(), 1L, Long::sum);
                    streams.add(row.stream());
                    if (firstPosition == 0) {
                        firstPosition = row.globalPosition();
                        firstAt = row.occurredAt();
                    }
                    lastPosition = row.globalPosition();
                    lastAt = row.occurredAt();
                    progress.update(row.globalPosition());
                }
            }
        }
        Optional<Long> size = Stores.sizeOnDisk(url);
        if (json) {
            ObjectNode root = EventJson.MAPPER.createObjectNode();
            root.put("store", Stores.shown(url));
            root.put("sizeBytes", size.orElse(null));
            root.put("events", events).put("streams", streams.size());
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
        rows.add(new String[] {"Streams", Human.count(streams.size())});
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
