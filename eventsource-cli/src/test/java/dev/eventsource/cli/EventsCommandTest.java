package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventsource.event.EventMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventsCommandTest {

    @TempDir
    Path dir;

    @Test
    void shows_each_event_with_version_type_times_metadata_and_payload_without_the_event_classes() {
        String url = Cli.sqliteUrl(dir, "shop.db");
        UUID cart = UUID.randomUUID();
        UUID actor = UUID.randomUUID();
        Cli.appendWithMetadata(url, cart, "Cart", EventMetadata.EMPTY.withTenantId("acme").withActorId(actor).withExtra("source", "web"),
                new Cli.ItemAdded("book", new java.math.BigDecimal("12.50")));
        Cli.append(url, cart, "Cart", new Cli.CartCheckedOut(1));

        Cli.Result result = Cli.run("events", url, "Cart", cart.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Cart/" + cart + "  version 2, 2 events", "tenant acme",
                        "{\"actorId\":\"" + actor + "\",\"extras\":{\"source\":\"web\"}}",
                        "{\"name\":\"book\",\"price\":12.50}", "{\"items\":1}")
                .containsPattern("v1  ItemAdded  occurred \\S+\\.\\d{6}Z  recorded \\S+\\.\\d{6}Z")
                .containsPattern("v2  CartCheckedOut  occurred ");
    }

    @Test
    void prints_json_with_every_event_in_the_export_format() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("events", shop.url(), "Cart", shop.cart1().toString(), "--json");

        JsonNode json = EventJson.MAPPER.readTree(result.out());
        assertThat(json.get("version").asLong()).isEqualTo(3);
        assertThat(json.get("events")).hasSize(3);
        JsonNode first = json.get("events").get(0);
        assertThat(first.get("eventType").asText()).isEqualTo("ItemAdded");
        assertThat(first.get("globalPosition").asLong()).isEqualTo(1);
        assertThat(first.get("payload").get("price").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(first.get("payload").get("price").toString()).isEqualTo("12.50");
    }

    @Test
    void reports_a_stream_that_has_no_events() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("events", shop.url(), "Inventory", shop.cart1().toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.err()).contains("no stream Inventory/" + shop.cart1(), "eventsource streams " + shop.url());
    }

    @Test
    void refuses_an_id_that_is_not_a_uuid() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("events", shop.url(), "Cart", "42");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("'42' is not a UUID");
    }

    @Test
    void refuses_a_missing_sqlite_file() {
        Cli.Result result = Cli.run("events", Cli.sqliteUrl(dir, "missing.db"), "Cart", UUID.randomUUID().toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(dir.resolve("missing.db")).doesNotExist();
    }
}
