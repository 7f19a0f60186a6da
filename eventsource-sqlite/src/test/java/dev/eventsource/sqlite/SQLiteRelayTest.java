package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.relay.EventRelay;
import dev.eventsource.relay.RelayState;
import dev.eventsource.relay.RelayStatus;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.tck.RecordingPublisher;
import dev.eventsource.tck.TckEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A relay never skips: an event its process cannot decode stops it before that event until the class is registered. */
class SQLiteRelayTest {

    @TempDir
    Path dir;

    @Test
    void an_event_the_relay_cannot_decode_stops_it_before_that_event_until_its_class_is_registered() throws Exception {
        String file = dir.resolve("events.db").toString();
        try (SQLiteBackend writer = new SQLiteBackend(SQLiteEventStore.builder(file)
                     .eventRegistry(new EventRegistry().register(TckEvent.class)).build());
             SQLiteBackend relaying = new SQLiteBackend(SQLiteEventStore.builder(file)
                     .eventRegistry(new EventRegistry().register(TckEvent.Created.class)).build())) {
            writer.store().initialize();
            relaying.store().initialize();
            writer.store().appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("before")), ExpectedVersion.NO_STREAM);
            writer.store().appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Renamed("unknown here", 1)),
                    ExpectedVersion.NO_STREAM);
            writer.store().appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("after")), ExpectedVersion.NO_STREAM);
            RecordingPublisher publisher = new RecordingPublisher();

            try (EventRelay relay = EventRelay.builder("strict", relaying, publisher).pollInterval(Duration.ofMillis(20))
                    .build().start()) {
                await(() -> relay.status().state() == RelayState.FAILED);
                RelayStatus failed = relay.status();
                assertThat(publisher.acknowledgedEvents()).extracting(StoredEvent::event)
                        .containsExactly(new TckEvent.Created("before"));
                assertThat(failed.lastError()).contains("Renamed").contains("cannot be decoded").contains("register");
                assertThat(failed.lastPublishedPosition()).isEqualTo(1);
                assertThat(failed.lagEvents()).isEqualTo(2);
                assertThat(failed.healthy()).isFalse();
                assertThat(relaying.checkpoints().find("relay:strict")).map(Checkpoint::position).contains(1L);

                relaying.store().eventRegistry().register(TckEvent.Renamed.class);
                relay.resume();

                await(() -> publisher.acknowledgedEvents().size() == 3);
                await(() -> relay.status().state() == RelayState.LIVE);
                assertThat(publisher.acknowledgedEvents()).extracting(StoredEvent::event).containsExactly(
                        new TckEvent.Created("before"), new TckEvent.Renamed("unknown here", 1), new TckEvent.Created("after"));
                assertThat(relay.status().lagEvents()).isZero();
            }
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
