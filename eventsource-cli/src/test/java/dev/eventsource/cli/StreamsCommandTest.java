package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsCommandTest {

    @TempDir
    Path dir;

    @Test
    void lists_every_stream_with_its_version_event_count_and_last_event_time_oldest_first() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("streams", shop.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines().toList()).hasSize(5);
        assertThat(result.out()).containsPattern("TYPE\\s+ID\\s+VERSION\\s+EVENTS\\s+LAST EVENT")
                .containsPattern("Cart\\s+" + shop.cart1() + "\\s+3\\s+3\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z")
                .containsPattern("Cart\\s+" + shop.cart2() + "\\s+1\\s+1\\s+")
                .containsPattern("Inventory\\s+" + shop.stock() + "\\s+1\\s+1\\s+")
                .contains("3 streams.");
        assertThat(result.out().indexOf(shop.cart1().toString())).isLessThan(result.out().indexOf(shop.stock().toString()));
    }

    @Test
    void keeps_only_the_streams_of_the_given_type() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("streams", shop.url(), "--type", "Inventory");

        assertThat(result.out()).contains(shop.stock().toString()).doesNotContain(shop.cart1().toString(), shop.cart2().toString());
    }

    @Test
    void pages_with_limit_and_offset_and_says_where_the_next_page_starts() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result first = Cli.run("streams", shop.url(), "--limit", "2");
        Cli.Result second = Cli.run("streams", shop.url(), "--limit", "2", "--offset", "2");

        assertThat(first.out()).contains(shop.cart1().toString(), shop.cart2().toString(), "Streams 1-2 of 3; next page: --offset 2")
                .doesNotContain(shop.stock().toString());
        assertThat(second.out()).contains(shop.stock().toString(), "Streams 3-3 of 3.").doesNotContain(shop.cart1().toString());
    }

    @Test
    void prints_json_with_the_total_for_paging() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("streams", shop.url(), "--json", "--limit", "1");

        JsonNode json = EventJson.MAPPER.readTree(result.out());
        assertThat(json.get("total").asInt()).isEqualTo(3);
        assertThat(json.get("streams")).hasSize(1);
        JsonNode cart = json.get("streams").get(0);
        assertThat(cart.get("aggregateType").asText()).isEqualTo("Cart");
        assertThat(cart.get("aggregateId").asText()).isEqualTo(shop.cart1().toString());
        assertThat(cart.get("version").asLong()).isEqualTo(3);
        assertThat(cart.get("events").asLong()).isEqualTo(3);
        assertThat(cart.get("lastEventAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    }

    @Test
    void refuses_a_missing_sqlite_file_without_creating_it() {
        Path missing = dir.resolve("typo.db");

        Cli.Result result = Cli.run("streams", "sqlite:" + missing);

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(result.err()).contains("no SQLite file at " + missing.toAbsolutePath(), "eventsource init sqlite:" + missing);
        assertThat(missing).doesNotExist();
    }

    @Test
    void refuses_a_file_that_is_not_a_sqlite_database() throws Exception {
        Path text = Files.writeString(dir.resolve("readme.db"), "# not a database");

        Cli.Result result = Cli.run("streams", "jdbc:sqlite:" + text);

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(result.err()).contains(text.toAbsolutePath() + " is not a SQLite database");
    }

    @Test
    void refuses_another_applications_sqlite_database_without_adding_tables_to_it() throws Exception {
        Path other = dir.resolve("app.db");
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + other); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        }

        Cli.Result result = Cli.run("streams", "sqlite:" + other);

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(result.err()).contains("is not an eventsource store");
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + other); Statement sql = connection.createStatement();
             var tables = sql.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")) {
            tables.next();
            assertThat(tables.getInt(1)).isEqualTo(1);
        }
    }
}
