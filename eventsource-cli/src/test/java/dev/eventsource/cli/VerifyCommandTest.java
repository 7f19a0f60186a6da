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
        sql(shop, "UPDATE events SET version = 4 WHERE aggregate_id = unhex(replace('" + shop.cart1() + "', '-', '')) AND version = 3");

        Cli.Result result = Cli.run("verify", shop.url());

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.out()).contains("1 problem(s)", "position 5 (Cart/" + shop.cart1() + " v4",
                "version 4 follows v2; expected v3");
        assertThat(result.err()).isEqualTo("eventsource: error: verify found 1 problem(s) in " + shop.url() + "\n");
    }

    @Test
    void lists_a_stream_that_does_not_start_at_version_1() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        sql(shop, "UPDATE events SET version = 2 WHERE aggregate_id = unhex(replace('" + shop.stock() + "', '-', ''))");

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

    /** Problems found in rows read ahead and checked on workers come out in global order, each named by its row. */
    @Test
    void names_problems_in_global_order_across_many_read_ahead_batches() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        try (var store = Cli.open(shop.url())) {
            for (int done = 0; done < ReadAhead.BATCH * 3; done += 500) {
                java.util.List<dev.eventsource.event.DomainEvent> batch = new java.util.ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    batch.add(new Cli.ItemAdded("item", new java.math.BigDecimal("2.00")));
                }
                store.appendEvents(java.util.UUID.randomUUID(), "Cart", batch, dev.eventsource.store.ExpectedVersion.NO_STREAM);
            }
        }
        sql(shop, "UPDATE events SET payload = 'not json' WHERE global_position = 2900");
        sql(shop, "UPDATE events SET metadata = '\"text\"' WHERE global_position = 1200");
        sql(shop, "UPDATE events SET payload = '[]' WHERE global_position = 7");

        Cli.Result result = Cli.run("verify", shop.url(), "--json");

        JsonNode json = EventJson.MAPPER.readTree(result.out());
        assertThat(json.get("events").asInt()).isEqualTo(5 + ReadAhead.BATCH * 3);
        assertThat(json.get("problemCount").asInt()).isEqualTo(3);
        assertThat(json.get("problems").get(0).asText()).startsWith("position 7 ").contains("payload is not a JSON object: []");
        assertThat(json.get("problems").get(1).asText()).startsWith("position 1200 ").contains("metadata is not a JSON object");
        assertThat(json.get("problems").get(2).asText()).startsWith("position 2900 ").contains("payload is not a JSON object: not json");
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

    @Test
    void fails_on_a_corrupt_index_page_that_reads_of_the_log_never_touch() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        overwritePage(shop.file(), rootPage(shop, "sqlite_autoindex_events_1"));   // the event-id index

        Cli.Result result = Cli.run("verify", shop.url());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.out()).contains("storage: PRAGMA quick_check reports: ");
        assertThat(result.err()).startsWith("eventsource: error: verify found ");
    }

    @Test
    void runs_the_full_integrity_check_with_full() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result healthy = Cli.run("verify", shop.url(), "--full");
        overwritePage(shop.file(), rootPage(shop, "sqlite_autoindex_events_1"));
        Cli.Result damaged = Cli.run("verify", shop.url(), "--full", "--json");

        assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
        assertThat(healthy.out()).contains("Storage: PRAGMA integrity_check found no damage.");
        JsonNode json = EventJson.MAPPER.readTree(damaged.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("storageCheck").asText()).startsWith("PRAGMA integrity_check found damage");
        assertThat(json.get("problems").get(0).asText()).startsWith("storage: PRAGMA integrity_check ");
    }

    @Test
    void reports_a_row_with_an_id_that_is_not_a_uuid_as_a_problem_naming_its_place_and_checks_the_rest() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        sql(shop, "UPDATE events SET event_id = 'not-a-uuid' WHERE global_position = 2");
        sql(shop, "UPDATE events SET payload = 'x' WHERE global_position = 4");

        Cli.Result result = Cli.run("verify", shop.url());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.out()).contains("the row after position 1 cannot be read", "an id column holds 10 bytes where the store writes 16",
                "position 4 (Inventory/" + shop.stock() + " v1");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).doesNotContain("NullPointerException").doesNotContain("\tat ");
    }

    @Test
    void reports_rows_with_a_null_column_or_a_time_that_is_not_a_number_as_problems_without_a_stack_trace() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        // NOT NULL is not checked for rows written while the schema says otherwise, as a damaged file can hold.
        sql(shop, "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, 'event_type      TEXT    NOT NULL',"
                + " 'event_type TEXT') WHERE name = 'events'");
        sql(shop, "UPDATE events SET event_type = NULL WHERE global_position = 3");
        sql(shop, "UPDATE events SET occurred_at = 'yesterday' WHERE global_position = 5");

        Cli.Result result = Cli.run("verify", shop.url());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.out()).contains("position 3 (",
                "storage: PRAGMA quick_check reports: events row at global position 3 holds a value of the wrong type or none in event_type",
                "events row at global position 5 holds a value of the wrong type or none in occurred_at");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).startsWith("eventsource: error: verify found ").doesNotContain("NullPointerException");
    }

    private static long rootPage(Cli.Fixture shop, String index) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + shop.file()); Statement sql = connection.createStatement();
             var rs = sql.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = '" + index + "'")) {
            assertThat(rs.next()).as(index).isTrue();
            return rs.getLong(1);
        }
    }

    /** Fills one page with garbage, as a torn write or a bad sector would leave it. */
    private static void overwritePage(Path file, long page) throws Exception {
        int pageSize;
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = connection.createStatement();
             var rs = sql.executeQuery("PRAGMA page_size")) {
            rs.next();
            pageSize = rs.getInt(1);
        }
        byte[] garbage = new byte[pageSize];
        java.util.Arrays.fill(garbage, (byte) 0xA5);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(garbage), (page - 1) * pageSize);
        }
    }

    private static void sql(Cli.Fixture shop, String statement) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + shop.file()); Statement sql = connection.createStatement()) {
            sql.executeUpdate(statement);
        }
    }
}
