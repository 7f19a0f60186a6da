package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dlq} and {@code subscriptions} on a store whose subscriptions left checkpoints and dead letters. */
class DlqAndSubscriptionsCommandTest {

    @TempDir
    Path dir;

    private record Store(String url, long billingLetter, long searchLetter) {
    }

    private Store store() {
        Cli.Fixture shop = Cli.shop(dir);
        try (EventStoreBackend backend = EventStoreBackends.open(shop.url(), new EventRegistry())) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            backend.checkpoints().save(new Checkpoint("billing", 1, 1, null, null, now));
            backend.checkpoints().save(new Checkpoint("search", 4, 4, null, "ItemAdded", now));
            long billing = backend.deadLetters().add(new DeadLetter(0, "billing", UUID.randomUUID(), 2, "ItemAdded", "{}",
                    "java.util.concurrent.TimeoutException: gateway", "trace", 3, now, now, null)).id();
            long search = backend.deadLetters().add(new DeadLetter(0, "search", UUID.randomUUID(), 3, "ItemAdded", "{}",
                    "java.lang.IllegalStateException: index closed", "trace", 1, now, now, null)).id();
            return new Store(shop.url(), billing, search);
        }
    }

    @Test
    void subscriptions_shows_each_checkpoint_with_its_lag_and_dead_letters() throws Exception {
        Store store = store();

        Cli.Result table = Cli.run("subscriptions", store.url());
        JsonNode json = EventJson.MAPPER.readTree(Cli.run("subscriptions", store.url(), "--json").out());

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).containsPattern("billing\\s+1\\s+4\\s+1\\s+1").containsPattern("search\\s+4\\s+1\\s+4\\s+1")
                .contains("Store position 5.");
        assertThat(json.get("subscriptions").get(0).get("lag").asLong()).isEqualTo(4);
    }

    @Test
    void a_subscription_is_reset_or_moved_and_an_unknown_one_is_refused() throws Exception {
        Store store = store();

        Cli.Result moved = Cli.run("subscriptions", "reset", store.url(), "billing", "--to-position", "3");
        Cli.Result reset = Cli.run("subscriptions", "reset", store.url(), "search");
        Cli.Result unknown = Cli.run("subscriptions", "reset", store.url(), "nobody");
        Cli.Result tooFar = Cli.run("subscriptions", "reset", store.url(), "billing", "--to-position", "99");

        assertThat(moved.out()).contains("Moved subscription 'billing' to position 3 (was 1)");
        assertThat(reset.out()).contains("Reset subscription 'search': it replays from the start (was at position 4)");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(tooFar.exitCode()).isEqualTo(ExitCode.USAGE);
        JsonNode json = EventJson.MAPPER.readTree(Cli.run("subscriptions", store.url(), "--json").out());
        assertThat(json.get("subscriptions")).singleElement().satisfies(s -> {
            assertThat(s.get("name").asText()).isEqualTo("billing");
            assertThat(s.get("position").asLong()).isEqualTo(3);
        });
    }

    @Test
    void dlq_lists_filters_counts_resolves_and_purges() throws Exception {
        Store store = store();

        Cli.Result all = Cli.run("dlq", "list", store.url());
        Cli.Result timeouts = Cli.run("dlq", "list", store.url(), "--error", "TimeoutException");
        Cli.Result page = Cli.run("dlq", "list", store.url(), "--limit", "1");
        Cli.Result stats = Cli.run("dlq", "stats", store.url());
        Cli.Result resolved = Cli.run("dlq", "resolve", store.url(), Long.toString(store.searchLetter()));
        Cli.Result again = Cli.run("dlq", "resolve", store.url(), Long.toString(store.searchLetter()));
        Cli.Result keep = Cli.run("dlq", "purge", store.url(), "--older-than", "1d");
        Cli.Result purge = Cli.run("dlq", "purge", store.url(), "--older-than", "0s");
        Cli.Result withResolved = Cli.run("dlq", "list", store.url(), "--all", "--json");

        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).contains("billing", "search", "2 entries.");
        assertThat(timeouts.out()).contains("billing").doesNotContain("search");
        assertThat(page.out()).contains("1 entry; next page: --after " + store.billingLetter());
        assertThat(stats.out()).contains("2 unresolved dead letters.").containsPattern("java.lang.IllegalStateException\\s+1");
        assertThat(resolved.out()).contains("Resolved dead letter " + store.searchLetter());
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(keep.out()).contains("Purged 0 resolved dead letters older than 1 d.");
        assertThat(purge.out()).contains("Purged 1 resolved dead letter older than 0 ms.");
        assertThat(EventJson.MAPPER.readTree(withResolved.out()).get("entries")).singleElement()
                .satisfies(e -> assertThat(e.get("subscription").asText()).isEqualTo("billing"));
    }
}
