package dev.eventsource.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.RecordedEvent;
import dev.eventsource.store.spi.StreamKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks a store's integrity from its stored rows: in every stream the versions run 1, 2, 3...
 * without gaps or repeats; global positions strictly increase; every payload and every metadata
 * is a JSON object; and the version the store reports for each stream (its stream bookkeeping)
 * matches the last event actually stored, so no stream row is orphaned or out of step. Exits 1
 * and lists the problems when there are any.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check integrity: contiguous versions from 1 per stream, strictly increasing positions, valid JSON"
                + " payloads and metadata, stream versions matching their events. Exit code 1 when problems are found.")
final class VerifyCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--max-problems", defaultValue = "100",
            description = "List at most this many problems; all are counted (default: ${DEFAULT-VALUE}).")
    int maxProblems;

    @Option(names = "--json", description = "Print one JSON object: {ok, events, streams, problemCount, problems: [...]}.")
    boolean json;

    private final List<String> problems = new ArrayList<>();
    private long problemCount;

    @Override
    public Integer call() throws Exception {
        if (maxProblems < 0) {
            throw new CommandFailure(ExitCode.USAGE, "--max-problems must be >= 0; got " + maxProblems);
        }
        Map<StreamKey, Long> versions = new HashMap<>();
        long events = 0;
        try (EventStore store = Stores.openExisting(url)) {
            long end = store.globalPosition();
            try (Progress progress = progress("Verifying events", end, "events");
                 Stream<RecordedEvent> rows = Stores.reader(store).readRecorded(ReadOptions.builder().pageSize(5_000).build())) {
                long previous = 0;
                for (Iterator<RecordedEvent> it = rows.iterator(); it.hasNext(); ) {
                    RecordedEvent row = it.next();
                    events++;
                    String where = "position " + row.globalPosition() + " (" + row.stream() + " v" + row.version()
                            + ", event " + row.eventId() + ")";
                    if (row.globalPosition() <= previous) {
                        problem(where + ": global position does not increase (follows position " + previous + ")");
                    }
                    previous = row.globalPosition();
                    long last = versions.getOrDefault(row.stream(), 0L);
                    if (row.version() != last + 1) {
                        problem(where + ": version " + row.version() + " follows "
                                + (last == 0 ? "the start of the stream" : "v" + last) + "; expected v" + (last + 1));
                    }
                    versions.put(row.stream(), Math.max(last, row.version()));
                    if (EventJson.parseObject(row.payloadJson()) == null) {
                        problem(where + ": payload is not a JSON object: " + EventJson.abbreviate(row.payloadJson()));
                    }
                    if (row.metadataJson() != null && EventJson.parseObject(row.metadataJson()) == null) {
                        problem(where + ": metadata is not a JSON object: " + EventJson.abbreviate(row.metadataJson()));
                    }
                    progress.update(row.globalPosition());
                }
            }
            if (!versions.isEmpty()) {
                try (Progress progress = progress("Verifying streams", versions.size(), "streams")) {
                    long checked = 0;
                    for (Map.Entry<StreamKey, Long> stream : versions.entrySet()) {
                        StreamKey key = stream.getKey();
                        long reported = store.getStreamVersion(key.aggregateId(), key.aggregateType());
                        if (reported != stream.getValue()) {
                            problem(key + ": the store reports version " + reported + " but its events end at v" + stream.getValue());
                        }
                        progress.update(++checked);
                    }
                }
            }
        }
        if (json) {
            ObjectNode root = EventJson.MAPPER.createObjectNode();
            root.put("ok", problemCount == 0).put("events", events).put("streams", versions.size()).put("problemCount", problemCount);
            problems.forEach(root.putArray("problems")::add);
            out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else if (problemCount == 0) {
            out().println("OK: " + events + " events in " + versions.size() + " stream(s); versions contiguous from 1,"
                    + " positions strictly increasing, payloads and metadata valid JSON, stream versions match their events.");
        } else {
            out().println(problemCount + " problem(s) in " + events + " events, " + versions.size() + " stream(s) of " + Stores.shown(url) + ":");
            problems.forEach(p -> out().println("  - " + p));
            if (problemCount > problems.size()) {
                out().println("  ... and " + (problemCount - problems.size()) + " more (raise --max-problems to list them)");
            }
        }
        if (problemCount > 0) {
            out().flush();
            throw new CommandFailure(ExitCode.FAILURE, "verify found " + problemCount + " problem(s) in " + Stores.shown(url));
        }
        return ExitCode.OK;
    }

    private void problem(String text) {
        problemCount++;
        if (problems.size() < maxProblems) {
            problems.add(text);
        }
    }
}
