package dev.eventsource.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.subscription.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subscriptions whose state the store holds: their checkpoints, lag and dead letters, and a
 * reset. Whether a subscription runs, is paused or is healthy lives in the application that runs
 * it ({@code SubscriptionManager.health()}), not in the store, so it is not shown here.
 */
@Command(name = "subscriptions", mixinStandardHelpOptions = true, description = "Subscriptions with a checkpoint in the store: position, lag, events"
        + " processed, dead letters; reset one to replay. Running state lives in your application, not the store.",
        subcommands = {SubscriptionsCommand.ResetCommand.class})
final class SubscriptionsCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--json", description = "Print one JSON object: {globalPosition, subscriptions: [...]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Checkpoint> checkpoints;
        long head;
        Map<String, Long> deadLetters;
        try (EventStoreBackend backend = Stores.openExisting(url)) {
            checkpoints = backend.checkpoints().findAll();
            head = backend.log().globalPosition();
            deadLetters = backend.deadLetters().stats().bySubscription();
        }
        if (json) {
            ObjectNode root = EventJson.MAPPER.createObjectNode();
            root.put("globalPosition", head);
            ArrayNode list = root.putArray("subscriptions");
            for (Checkpoint c : checkpoints) {
                list.addObject().put("name", c.subscription()).put("position", c.position())
                        .put("lag", Math.max(0, head - c.position())).put("eventsProcessed", c.eventsProcessed())
                        .put("lastEventType", c.lastEventType()).put("updatedAt", EventJson.time(c.updatedAt()))
                        .put("deadLetters", deadLetters.getOrDefault(c.subscription(), 0L));
            }
            out().println(EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return ExitCode.OK;
        }
        if (checkpoints.isEmpty()) {
            out().println("No subscription has a checkpoint in " + Stores.shown(url) + ".");
            return ExitCode.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "POSITION", "LAG", "PROCESSED", "DEAD LETTERS", "UPDATED"});
        for (Checkpoint c : checkpoints) {
            rows.add(new String[] {c.subscription(), Long.toString(c.position()), Long.toString(Math.max(0, head - c.position())),
                    Long.toString(c.eventsProcessed()), Long.toString(deadLetters.getOrDefault(c.subscription(), 0L)),
                    EventJson.time(c.updatedAt())});
        }
        Table.print(out(), rows);
        out().println("Store position " + Human.count(head) + ".");
        return ExitCode.OK;
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, description = "Forget a subscription's checkpoint (it replays from the start) or move it to"
            + " --to-position. Stop the subscription first: a running one would write its own checkpoint over it.")
    static final class ResetCommand extends BaseCommand {

        @Parameters(arity = "1..2", paramLabel = "[URL] NAME", hideParamSyntax = true,
                description = "The store (default: " + Stores.DEFAULT_URL + "; must exist) and the subscription's name.")
        List<String> arguments;

        @Option(names = "--to-position", paramLabel = "N", description = "Continue after global position N instead of from the start.")
        Long toPosition;

        @Override
        public Integer call() {
            String url = arguments.size() == 2 ? arguments.get(0) : Stores.DEFAULT_URL;
            String name = arguments.get(arguments.size() - 1);
            if (toPosition != null && toPosition < 0) {
                throw new CommandFailure(ExitCode.USAGE, "--to-position must be >= 0");
            }
            try (EventStoreBackend backend = Stores.openExistingToChange(url)) {
                Optional<Checkpoint> current = backend.checkpoints().find(name);
                if (current.isEmpty()) {
                    throw new CommandFailure(ExitCode.FAILURE, "no checkpoint of subscription '" + name + "' in "
                            + Stores.shown(url) + "; list them with: " + self() + " subscriptions " + shellWord(Stores.shown(url)));
                }
                long head = backend.log().globalPosition();
                if (toPosition == null) {
                    backend.checkpoints().reset(name);
                    out().println("Reset subscription '" + name + "': it replays from the start (was at position "
                            + Human.count(current.get().position()) + ").");
                } else {
                    if (toPosition > head) {
                        throw new CommandFailure(ExitCode.USAGE, "--to-position " + toPosition + " is past the store's last position "
                                + head);
                    }
                    backend.checkpoints().save(new Checkpoint(name, toPosition, 0, null, null, Instant.now()));
                    out().println("Moved subscription '" + name + "' to position " + Human.count(toPosition) + " (was "
                            + Human.count(current.get().position()) + ").");
                }
            }
            return ExitCode.OK;
        }
    }
}
