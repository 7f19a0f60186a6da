package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StatsCommandTest {

    @TempDir
    Path dir;

    @Test
    void counts_events_by_event_type_and_aggregate_type() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("stats", shop.url());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).containsPattern("Events\\s+5 \\(positions 1 to 5\\)")
                .containsPattern("Streams\\s+3")
                .containsPattern("ItemAdded\\s+3").containsPattern("ItemRemoved\\s+1").containsPattern("CartCheckedOut\\s+1")
                .containsPattern("Cart\\s+4").containsPattern("Inventory\\s+1");
    }

    @Test
    void reports_the_size_of_the_sqlite_files_and_the_first_and_last_positions_in_json() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("stats", shop.url(), "--json");

        JsonNode json = EventJson.MAPPER.readTree(result.out());
        long onDisk = Files.size(shop.file()) + sizeIfExists(Path.of(shop.file() + "-wal")) + sizeIfExists(Path.of(shop.file() + "-shm"));
        assertThat(json.get("sizeBytes").asLong()).isEqualTo(onDisk).isPositive();
        assertThat(json.get("events").asLong()).isEqualTo(5);
        assertThat(json.get("streams").asLong()).isEqualTo(3);
        assertThat(json.get("firstPosition").asLong()).isEqualTo(1);
        assertThat(json.get("lastPosition").asLong()).isEqualTo(5);
        assertThat(json.get("eventTypes").get("ItemAdded").asLong()).isEqualTo(3);
        assertThat(json.get("aggregateTypes").get("Cart").asLong()).isEqualTo(4);
    }

    @Test
    void reports_an_empty_store() {
        String url = Cli.sqliteUrl(dir, "empty.db");
        Cli.run("init", url);

        Cli.Result result = Cli.run("stats", url);

        assertThat(result.out()).containsPattern("Events\\s+0\\n").containsPattern("Streams\\s+0");
    }

    @Test
    void refuses_a_missing_sqlite_file() {
        Cli.Result result = Cli.run("stats", Cli.sqliteUrl(dir, "missing.db"));

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(result.err()).contains("no SQLite file at");
    }

    private static long sizeIfExists(Path path) throws Exception {
        return Files.exists(path) ? Files.size(path) : 0;
    }
}
