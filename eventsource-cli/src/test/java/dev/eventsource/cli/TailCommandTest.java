package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class TailCommandTest {

    @TempDir
    Path dir;

    @Test
    void prints_the_events_after_a_position_and_stops_after_max_events() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("tail", shop.url(), "--from-position", "1", "--max-events", "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines().toList()).hasSize(2);
        assertThat(result.out()).startsWith("#2  ").contains("Cart/" + shop.cart1() + " v2  ItemAdded  {\"name\":\"pen\",\"price\":1.20}")
                .contains("#3  ").doesNotContain("#1  ", "#4  ");
    }

    @Test
    void follows_events_another_store_instance_appends_after_it_started() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Cli.Result> tail = CompletableFuture.supplyAsync(() ->
                Cli.run(out, err, "tail", shop.url(), "--poll-interval", "20ms", "--max-events", "2", "--timeout", "60s"));
        while (!err.toString().contains("Following") && !tail.isDone()) {
            Thread.sleep(10);
        }
        UUID cart = UUID.randomUUID();

        Cli.append(shop.url(), cart, "Cart", new Cli.ItemAdded("mug", new java.math.BigDecimal("8")), new Cli.CartCheckedOut(1));

        Cli.Result result = tail.get();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("Following " + shop.url() + " after position 5");
        assertThat(result.out().lines().toList()).hasSize(2);
        assertThat(result.out()).contains("#6  ", "Cart/" + cart + " v1  ItemAdded", "#7  ", "Cart/" + cart + " v2  CartCheckedOut");
    }

    @Test
    void keeps_only_the_given_event_types() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("tail", shop.url(), "--from-position", "0", "--type", "ItemRemoved,CartCheckedOut",
                "--timeout", "0s");

        assertThat(result.out()).contains("#4  ", "ItemRemoved", "#5  ", "CartCheckedOut").doesNotContain("ItemAdded");
    }

    @Test
    void prints_one_json_object_per_line_with_json() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("tail", shop.url(), "--from-position", "4", "--json", "--timeout", "0s");

        assertThat(result.out().lines().toList()).hasSize(1);
        var line = EventJson.MAPPER.readTree(result.out());
        assertThat(line.get("globalPosition").asLong()).isEqualTo(5);
        assertThat(line.get("payload").get("items").asInt()).isEqualTo(2);
    }

    @Test
    void stops_at_the_timeout_when_nothing_arrives() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("tail", shop.url(), "--timeout", "50ms", "--poll-interval", "10ms");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
    }

    @Test
    void refuses_a_type_filter_it_cannot_use_before_following_anything() {
        String url = Cli.shop(dir).url();

        for (String type : new String[] {"", "Order*Created"}) {
            Cli.Result result = Cli.run("tail", url, "--type", type, "--timeout", "1s");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(result.out()).doesNotContain("Following");
            assertThat(result.err()).startsWith("eventsource: error: --type / --aggregate-type: ").doesNotContain("\tat ");
        }
    }

    @Test
    void refuses_a_duration_it_cannot_read() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("tail", shop.url(), "--timeout", "soon");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("'soon' is not a duration");
    }
}
