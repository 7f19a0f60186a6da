package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StreamPage;
import dev.eventsource.store.StreamId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists streams in the order they were started, with their version, event count and last event
 * time (the latest occurrence time of its events). Works on any store without its event classes. The
 * store lists the page with {@link dev.eventsource.store.RecordedEventReader#listStreams}: one
 * aggregate query on SQLite and PostgreSQL, so a page costs a pass over the stream index inside the
 * database, not a read of the whole log through the tool.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "List streams (type, id, version, event count, last event time), oldest first, a page at a time.")
final class StreamsCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--type", paramLabel = "AGGREGATE_TYPE", split = ",",
            description = "Only streams of these aggregate types (repeatable or comma-separated).")
    List<String> types = new ArrayList<>();

    @Option(names = "--limit", defaultValue = "100", description = "At most this many streams (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", defaultValue = "0", description = "Skip this many streams first (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--json", description = "Print one JSON object: {total, offset, limit, streams: [...]}.")
    boolean json;

    @Mixin
    TenantOption tenant = new TenantOption();

    /** One stream as listed. */
    record Summary(StreamId key, long version, long events, Instant lastEventAt) {
    }

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || offset < 0) {
            throw new CommandFailure(ExitCode.USAGE, "--limit must be at least 1 and --offset at least 0; got --limit "
                    + limit + " --offset " + offset);
        }
        StreamPage listing;
        try (EventStoreBackend backend = Stores.openExisting(url)) {
            ReadOptions.Builder options = tenant.filter(ReadOptions.builder());
            if (!types.isEmpty()) {
                options.aggregateTypes(types.toArray(String[]::new));
            }
            listing = backend.log().listStreams(options.build(), offset, limit);
        }
        int total = (int) Math.min(Integer.MAX_VALUE, listing.total());
        List<Summary> page = listing.streams().stream()
                .map(s -> new Summary(s.stream(), s.version(), s.events(), s.lastEventAt())).toList();
        if (json) {
            printJson(total, page);
        } else {
            printTable(total, page);
        }
        return ExitCode.OK;
    }

    private void printJson(int total, List<Summary> page) throws Exception {
        ObjectNode root = EventJson.MAPPER.createObjectNode();
        root.put("total", total).put("offset", offset).put("limit", limit);
        ArrayNode list = root.putArray("streams");
        for (Summary s : page) {
            list.addObject().put("aggregateType", s.key().aggregateType()).put("aggregateId", s.key().aggregateId().toString())
                    .put("version", s.version()).put("events", s.events()).put("lastEventAt", EventJson.time(s.lastEventAt()));
        }
        out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private void printTable(int total, List<Summary> page) {
        if (total == 0) {
            out().println(Terminal.printable(types.isEmpty() ? "No streams in " + Stores.shown(url) + "."
                    : "No streams of type " + String.join(", ", types) + " in " + Stores.shown(url) + "."));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TYPE", "ID", "VERSION", "EVENTS", "LAST EVENT"});
        for (Summary s : page) {
            rows.add(new String[] {s.key().aggregateType(), s.key().aggregateId().toString(), Long.toString(s.version()),
                    Long.toString(s.events()), EventJson.time(s.lastEventAt())});
        }
        Table.print(out(), rows);
        if (page.isEmpty()) {
            out().println(Human.count(total) + " streams; none at offset " + offset + ".");
        } else if (page.size() < total) {
            out().println("Streams " + (offset + 1) + "-" + (offset + page.size()) + " of " + Human.count(total)
                    + (offset + page.size() < total ? "; next page: --offset " + (offset + page.size()) : "") + ".");
        } else {
            out().println(Human.count(total) + (total == 1 ? " stream." : " streams."));
        }
    }
}
