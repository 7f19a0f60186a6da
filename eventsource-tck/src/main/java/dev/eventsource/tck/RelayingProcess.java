package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.relay.EventRelay;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A separate JVM that relays a backend's log to a {@link FileSinkPublisher} until it is killed (at
 * most two minutes), for {@link RelayCrashContract}: {@code <backend url> <sink file> <run name>}.
 * It competes for the relay's lock like any instance, so a second one started beside it stands by.
 */
public final class RelayingProcess {

    /** The relay's name. */
    public static final String RELAY = "crash-outbox";

    private RelayingProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (EventStoreBackend backend = EventStoreBackends.open(args[0], new EventRegistry().register(TckEvent.class));
             FileSinkPublisher sink = new FileSinkPublisher(Path.of(args[1]), args[2], Duration.ofMillis(5));
             EventRelay relay = EventRelay.builder(RELAY, backend, sink).batchSize(7)
                     .pollInterval(Duration.ofMillis(20)).lockPollInterval(Duration.ofMillis(20)).build()) {
            backend.store().initialize();
            relay.start();
            Thread.sleep(120_000);
        }
    }
}
