package dev.eventsource.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.subscription.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The relays (the log as outbox, {@code EventRelay}) whose checkpoints the store holds, under
 * {@code relay:<name>}: how far each has published, how far behind the log's head it is, and when
 * its checkpoint was last saved. Read-only. Whether a relay runs, and which instance holds its
 * lock, lives in the applications that run it ({@code EventRelay.status()}), not in the store.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, description = "Relays that publish the log to a bus (the log as"
        + " outbox): their checkpoints, lag behind the log's head, last save.",
        subcommands = {RelayCommand.StatusCommand.class})
final class RelayCommand extends BaseCommand {

    /** The prefix of a relay's checkpoint name. */
    static final String PREFIX = "relay:";

    @Override
    public Integer call() {
        spec.commandLine().usage(err());
        return ExitCode.USAGE;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each relay's checkpoint position, the log's head,"
            + " its lag in events and when its checkpoint was last saved. Read-only.")
    static final class StatusCommand extends BaseCommand {

        @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
                description = "The store (default: ${DEFAULT-VALUE}); must exist.")
        String url;

        @Option(names = "--json", description = "Print one JSON object: {globalPosition, relays: [...]}.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<Checkpoint> relays = new ArrayList<>();
            long head;
            try (EventStoreBackend backend = Stores.openExisting(url)) {
                for (Checkpoint c : backend.checkpoints().findAll()) {
                    if (c.subscription().startsWith(PREFIX)) {
                        relays.add(c);
                    }
                }
                head = backend.log().globalPosition();
            }
            Instant now = Instant.now();
            if (json) {
                ObjectNode root = EventJson.MAPPER.createObjectNode();
                root.put("globalPosition", head);
                ArrayNode list = root.putArray("relays");
                for (Checkpoint c : relays) {
                    list.addObject().put("name", c.subscription().substring(PREFIX.length())).put("position", c.position())
                            .put("lag", Math.max(0, head - c.position())).put("published", c.eventsProcessed())
                            .put("lastEventType", c.lastEventType()).put("savedAt", EventJson.time(c.updatedAt()))
                            .put("savedSecondsAgo", Math.max(0, Duration.between(c.updatedAt(), now).toSeconds()));
                }
                out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
                return ExitCode.OK;
            }
            if (relays.isEmpty()) {
                out().println("No relay has a checkpoint in " + Stores.shown(url) + " (a relay saves '" + PREFIX
                        + "<name>' once it has published).");
                return ExitCode.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"RELAY", "POSITION", "HEAD", "LAG", "PUBLISHED", "SAVED", "AGO"});
            for (Checkpoint c : relays) {
                rows.add(new String[] {c.subscription().substring(PREFIX.length()), Long.toString(c.position()),
                        Long.toString(head), Long.toString(Math.max(0, head - c.position())), Long.toString(c.eventsProcessed()),
                        EventJson.time(c.updatedAt()), Human.duration(Duration.between(c.updatedAt(), now))});
            }
            Table.print(out(), rows);
            out().println("Store position " + Human.count(head) + ". LAG counts every event after the checkpoint (for a"
                    + " relay limited to some types, an upper bound); PUBLISHED counts acknowledged events, duplicates"
                    + " after a retry included.");
            return ExitCode.OK;
        }
    }
}
