package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.relay.EventRelay;
import dev.eventsource.relay.RelayState;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code relay status} on stores a real relay published from to the in-memory bus, SQLite and PostgreSQL. */
class RelayCommandTest {

    @TempDir
    Path dir;

    private static final EventRegistry REGISTRY = new EventRegistry()
            .registerAll(Cli.ItemAdded.class, Cli.ItemRemoved.class, Cli.CartCheckedOut.class);

    /** Relays the whole log to an in-memory bus and stops; returns how many events the bus received. */
    private static long relayAll(String url) throws Exception {
        InMemoryEventBus bus = new InMemoryEventBus();
        try (EventStoreBackend backend = EventStoreBackends.open(url, REGISTRY);
             EventRelay relay = EventRelay.builder("to-bus", backend, bus).batchSize(2)
                     .pollInterval(Duration.ofMillis(20)).build().start()) {
            long head = backend.log().globalPosition();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (relay.status().lastPublishedPosition() < head || relay.status().state() != RelayState.LIVE) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("the relay did not publish the log in 30 s: " + relay.status());
                }
                Thread.sleep(10);
            }
            // A subscription's checkpoint beside it, which relay status leaves out.
            backend.checkpoints().save(new Checkpoint("billing", 1, 1, null, null, Instant.now()));
        } finally {
            bus.shutdown(Duration.ofSeconds(1));
        }
        return bus.stats().published();
    }

    @Test
    void status_shows_each_relay_with_its_position_the_head_and_its_lag_on_sqlite() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        assertThat(relayAll(shop.url())).isEqualTo(5);
        Cli.append(shop.url(), UUID.randomUUID(), "Cart", new Cli.ItemAdded("mug", new BigDecimal("4.00")),
                new Cli.ItemAdded("tea", new BigDecimal("3.00")));

        Cli.Result table = Cli.run("relay", "status", shop.url());
        Cli.Result json = Cli.run("relay", "status", shop.url(), "--json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).containsPattern("RELAY\\s+POSITION\\s+HEAD\\s+LAG\\s+PUBLISHED\\s+SAVED\\s+AGO")
                .containsPattern("to-bus\\s+5\\s+7\\s+2\\s+5\\s+\\d{4}-\\d\\d-\\d\\dT")
                .contains("Store position 7.").doesNotContain("billing");
        JsonNode root = EventJson.MAPPER.readTree(json.out());
        assertThat(root.get("globalPosition").asLong()).isEqualTo(7);
        assertThat(root.get("relays")).singleElement().satisfies(r -> {
            assertThat(r.get("name").asText()).isEqualTo("to-bus");
            assertThat(r.get("position").asLong()).isEqualTo(5);
            assertThat(r.get("lag").asLong()).isEqualTo(2);
            assertThat(r.get("published").asLong()).isEqualTo(5);
            assertThat(r.get("savedAt").asText()).isNotBlank();
        });
    }

    @Test
    void status_works_on_postgresql_and_groups_its_numbers() throws Exception {
        String url = PostgresTestServer.url() + (PostgresTestServer.url().contains("?") ? "&" : "?") + "schema="
                + PostgresTestServer.freshSchema();
        Cli.Fixture shop = Cli.shop(dir);
        Cli.Result migrated = Cli.run("migrate", "--from", shop.url(), "--to", url);
        assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
        assertThat(relayAll(url)).isEqualTo(5);
        try (EventStoreBackend backend = EventStoreBackends.open(url, REGISTRY)) {
            // Moved far back by hand, as after a reset: the lag is grouped like the other commands' numbers.
            backend.checkpoints().save(new Checkpoint("relay:far-behind", 0, 0, null, null, Instant.now()));
            for (int i = 0; i < 1_000; i++) {
                backend.store().appendEvents(UUID.randomUUID(), "Cart", java.util.List.of(new Cli.ItemRemoved("x" + i)),
                        dev.eventsource.store.ExpectedVersion.NO_STREAM);
            }
        }

        Cli.Result table = Cli.run("relay", "status", url);

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).containsPattern("far-behind\\s+0\\s+1,005\\s+1,005\\s+0")
                .containsPattern("to-bus\\s+5\\s+1,005\\s+1,000\\s+5");
    }

    @Test
    void a_store_without_relays_says_so_and_a_missing_store_is_one_line() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result none = Cli.run("relay", "status", shop.url());
        Cli.Result missing = Cli.run("relay", "status", Cli.sqliteUrl(dir, "nothing-here.db"));
        Cli.Result bare = Cli.run("relay");

        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).contains("No relay has a checkpoint in");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err().strip()).doesNotContain("\n").contains("nothing-here.db");
        assertThat(bare.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bare.err()).contains("status");
    }
}
