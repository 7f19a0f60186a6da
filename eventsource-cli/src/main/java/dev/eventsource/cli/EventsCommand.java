package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.StreamId;
import dev.eventsource.tenant.TenantId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.UUID;

/**
 * Shows one stream's events as stored: version, type, times, metadata and payload JSON. Needs no
 * event classes, so it can inspect any application's store. A stream without events is an error.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Show one stream's events (version, type, time, metadata, payload JSON) as stored; no event classes needed.")
final class EventsCommand extends BaseCommand {

    @Parameters(arity = "2..3", paramLabel = "[URL] TYPE ID", hideParamSyntax = true,
            description = "The store (default: " + Stores.DEFAULT_URL + "; must exist), the aggregate type and the aggregate id (a UUID).")
    List<String> arguments;

    @Option(names = "--json", description = "Print one JSON object: {aggregateType, aggregateId, version, events: [...]},"
            + " each event in the export format.")
    boolean json;

    @Mixin
    TenantOption tenant = new TenantOption();

    @Override
    public Integer call() throws Exception {
        String url = arguments.size() == 3 ? arguments.get(0) : Stores.DEFAULT_URL;
        String type = arguments.get(arguments.size() - 2);
        String idText = arguments.get(arguments.size() - 1);
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, "'" + idText + "' is not a UUID; give the aggregate id as listed by: "
                    + self() + " streams " + shellWord(Stores.shown(url)));
        }
        if (type.isBlank()) {
            throw new CommandFailure(ExitCode.USAGE, "the aggregate type must be non-blank, e.g. Note");
        }
        StreamId key = new StreamId(type, id);
        RecordedStream stream;
        try (EventStoreBackend backend = Stores.openExisting(url)) {
            stream = backend.log().readRecordedStream(key, 0);
        }
        if (stream.events().isEmpty()) {
            throw new CommandFailure(ExitCode.FAILURE, "no stream " + key + " in " + Stores.shown(url) + "; list the streams with: "
                    + self() + " streams " + shellWord(Stores.shown(url)));
        }
        TenantId only = tenant.tenant();
        for (RecordedEvent row : stream.events()) {
            if (!tenant.includes(row)) {
                throw new CommandFailure(ExitCode.FAILURE, "stream " + key + " belongs to "
                        + (row.tenantId() == null ? "no tenant" : "tenant '" + row.tenantId() + "'") + ", not to tenant '" + only + "'");
            }
        }
        if (json) {
            ObjectNode root = EventJson.MAPPER.createObjectNode();
            root.put("aggregateType", type).put("aggregateId", id.toString()).put("version", stream.version());
            var events = root.putArray("events");
            stream.events().forEach(row -> events.add(EventJson.toJson(row, false)));
            out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return ExitCode.OK;
        }
        // Stored names and payloads may hold control characters; people's output shows them escaped.
        out().println(Terminal.printable(key + "  version " + stream.version() + ", " + stream.events().size() + " events"));
        for (RecordedEvent row : stream.events()) {
            ObjectNode event = EventJson.toJson(row, false);
            out().println();
            out().println(Terminal.printable("v" + row.version() + "  " + row.eventType()
                    + (row.schemaVersion() == 1 ? "" : " (schema v" + row.schemaVersion() + ")")
                    + "  occurred " + event.get("occurredAt").asText() + "  recorded " + event.get("recordedAt").asText()));
            out().println(Terminal.printable("    event id  " + row.eventId() + "   position " + row.globalPosition()
                    + (row.tenantId() == null ? "" : "   tenant " + row.tenantId())));
            out().println(Terminal.printable("    metadata  " + event.get("metadata")));
            out().println(Terminal.printable("    payload   " + event.get("payload")));
        }
        return ExitCode.OK;
    }
}
