package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Damage is done with plain SQL on the SQLite file, the way a bad manual edit or a broken tool would. */
class VerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void passes_a_healthy_store() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("verify", shop.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("OK: 5 events in 3 stream(s)");
    }

    @Test
    void lists_a_gap_in_a_streams_versions_and_exits_with_the_failure_code() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        sql(shop, "UPDATE events SET version = 4 WHERE aggregate_id = '" + shop.cart1() + "' AND version = 3");

        Cli.Result result = Cli.run("verify", shop.url());

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.out()).contains("1 problem(s)", "position 5 (Cart/" + shop.cart1() + " v4",
                "version 4 follows v2; expected v3");
        assertThat(result.err()).isEqualTo("eventsource: error: verify found 1 problem(s) in " + shop.url() + "\n");
    }

    @Test
    void lists_a_stream_that_does_not_start_at_version_1() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        sql(shop, "UPDATE events SET version = 2 WHERE aggregate_id = '" + shop.stock() + "'");

        Cli.Result result = Cli.run("verify", shop.url());

        assertThat(result.out()).contains("Inventory/" + shop.stock() + " v2", "version 2 follows the start of the stream; expected v1");
    }

    @Test
    void lists_a_payload_and_a_metadata_that_are_not_json_objects() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        sql(shop, "UPDATE events SET payload = '{\"name\": \"lamp\"' WHERE global_position = 3");
        sql(shop, "UPDATE events SET metadata = '[1, 2]' WHERE global_position = 4");

        Cli.Result result = Cli.run("verify", shop.url(), "--json");

        JsonNode json = EventJson.MAPPER.readTree(result.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("problemCount").asInt()).isEqualTo(2);
        assertThat(json.get("problems").get(0).asText()).startsWith("position 3 ").contains("payload is not a JSON object: {\"name\": \"lamp\"");
        assertThat(json.get("problems").get(1).asText()).startsWith("position 4 ").contains("metadata is not a JSON object: [1, 2]");
    }

    @Test
    void counts_every_problem_but_lists_at_most_max_problems() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        sql(shop, "UPDATE events SET payload = 'x'");

        Cli.Result result = Cli.run("verify", shop.url(), "--max-problems", "2");

        assertThat(result.out()).contains("5 problem(s)", "... and 3 more (raise --max-problems to list them)");
        assertThat(result.out().lines().filter(line -> line.startsWith("  - "))).hasSize(2);
    }

    @Test
    void refuses_a_missing_sqlite_file() {
        Cli.Result result = Cli.run("verify", Cli.sqliteUrl(dir, "missing.db"));

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
    }

    private static void sql(Cli.Fixture shop, String statement) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + shop.file()); Statement sql = connection.createStatement()) {
            sql.executeUpdate(statement);
        }
    }
}
