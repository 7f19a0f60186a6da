package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.TransactionalProjection;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;

/**
 * A separate JVM running a subscription until it is signalled (at most two minutes), for
 * {@link SubscriptionProcessContract}. Two modes:
 * <ul>
 *   <li>{@code drain <backend url> <progress file>}: a plain subscriber named {@value #DRAINED}
 *       (batches of {@value #DRAIN_BATCH}, 10 ms per event) that appends each handled event's
 *       global position to the progress file, on a manager built with {@code drainOnShutdown};</li>
 *   <li>{@code project <backend url> <table> <run name>}: the transactional projection
 *       {@value #PROJECTED}, exclusive on the backend's locks, inserting {@code (event_id, run)} per
 *       event (5 ms each) into {@code table}.</li>
 * </ul>
 */
public final class SubscribingProcess {

    /** The drained subscription's name. */
    public static final String DRAINED = "drained";
    /** The drained subscription's batch size. */
    public static final int DRAIN_BATCH = 10;
    /** The exclusive projection's name. */
    public static final String PROJECTED = "failover-rows";

    private SubscribingProcess() {
    }

    public static void main(String[] args) throws Exception {
        EventStoreBackend backend = EventStoreBackends.open(args[1], new EventRegistry().register(TckEvent.class));
        switch (args[0]) {
            case "drain" -> drain(backend, Path.of(args[2]));
            case "project" -> project(backend, args[2], args[3]);
            default -> throw new IllegalArgumentException("mode must be drain or project; got " + args[0]);
        }
        // SIGTERM runs the drain hook; kill -9 runs nothing. Either way the process ends here or before.
        Thread.sleep(120_000);
    }

    private static void drain(EventStoreBackend backend, Path progress) {
        SubscriptionManager manager = backend.subscriptions().pollInterval(Duration.ofMillis(20))
                .drainOnShutdown(Duration.ofSeconds(60)).build();
        manager.subscribe(DRAINED, event -> {
            Thread.sleep(10);
            Files.writeString(progress, event.globalPosition() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }, SubscriptionOptions.builder().batchSize(DRAIN_BATCH).build());
    }

    private static void project(EventStoreBackend backend, String table, String run) {
        SubscriptionManager manager = backend.subscriptions().exclusive(backend.locks()).pollInterval(Duration.ofMillis(20))
                .lockPollInterval(Duration.ofMillis(20)).build();
        manager.subscribe(PROJECTED, new TransactionalProjection() {
            @Override
            public void handle(StoredEvent event, Connection connection) throws Exception {
                Thread.sleep(5);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (event_id, run) VALUES (?, ?)")) {
                    insert.setString(1, event.eventId().toString());
                    insert.setString(2, run);
                    insert.executeUpdate();
                }
            }

            @Override
            public void reset(Connection connection) throws Exception {
                try (Statement sql = connection.createStatement()) {
                    sql.executeUpdate("DELETE FROM " + table);
                }
            }
        }, SubscriptionOptions.builder().batchSize(10).build());
    }
}
