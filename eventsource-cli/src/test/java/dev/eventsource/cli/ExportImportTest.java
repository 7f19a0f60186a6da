package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Export reads and import writes real SQLite files. */
class ExportImportTest {

    @TempDir
    Path dir;

    private String target() {
        return Cli.sqliteUrl(dir, "imported.db");
    }

    @Test
    void exports_every_event_in_global_order_with_every_field() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        Path file = dir.resolve("shop.jsonl");

        Cli.Result result = Cli.run("export", shop.url(), "--out", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Exported 5 events from " + shop.url() + " to " + file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(5);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode event = EventJson.MAPPER.readTree(lines.get(i));
            assertThat(event.fieldNames()).toIterable().containsExactlyElementsOf(EventJson.FIELDS);
            assertThat(event.get("globalPosition").asLong()).isEqualTo(i + 1);
            assertThat(event.get("occurredAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        }
        assertThat(lines.get(0)).contains("\"aggregateId\":\"" + shop.cart1() + "\"", "\"payload\":{\"name\":\"book\",\"price\":12.50}");
    }

    @Test
    void exports_to_stdout_with_a_dash() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("export", shop.url(), "--out", "-");

        assertThat(result.out().lines()).hasSize(5);
        assertThat(result.err()).contains("Exported 5 events");
    }

    @Test
    void leaves_no_file_behind_when_the_store_cannot_be_read() {
        Path file = dir.resolve("out.jsonl");

        Cli.Result result = Cli.run("export", Cli.sqliteUrl(dir, "missing.db"), "--out", file.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("out.jsonl.partial")).doesNotExist();
    }

    /** More rows than one hand-over of the read-ahead, so reading, encoding on workers and writing all overlap. */
    @Test
    void refuses_a_directory_or_a_missing_folder_as_the_output_in_one_line() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        Path folder = java.nio.file.Files.createDirectory(dir.resolve("out"));

        Cli.Result intoFolder = Cli.run("export", shop.url(), "--out", folder.toString());
        Cli.Result intoMissing = Cli.run("export", shop.url(), "--out", dir.resolve("missing/events.jsonl").toString());

        assertThat(intoFolder.exitCode()).as(intoFolder.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(intoFolder.err()).contains(folder + " is a directory; give the file to write the export to");
        assertThat(intoMissing.exitCode()).as(intoMissing.toString()).isEqualTo(ExitCode.FAILURE);
        assertThat(intoMissing.err().strip()).isEqualTo("eventsource: error: cannot use " + dir.resolve("missing/events.jsonl.partial")
                + ": no such file, or its folder does not exist");
        assertThat(folder).isEmptyDirectory();
        assertThat(dir.resolve("out.partial")).doesNotExist();
    }

    @Test
    void exports_a_store_of_many_batches_in_global_order_and_the_same_documents_as_one_at_a_time() throws Exception {
        String url = Cli.sqliteUrl(dir, "big.db");
        int events = ReadAhead.BATCH * 3 + 17;
        appendMany(url, events);
        Path file = dir.resolve("big.jsonl");

        Cli.Result result = Cli.run("export", url, "--out", file.toString(), "-q");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).as("quiet means quiet").isEmpty();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(events);
        List<String> expected = new ArrayList<>();
        try (var store = dev.eventsource.sqlite.SQLiteEventStore.builder(dir.resolve("big.db").toString()).build();
             var rows = store.readRecorded(dev.eventsource.store.ReadOptions.ALL)) {
            rows.forEach(row -> expected.add(dev.eventsource.wire.EventDocument.encode(row)));
        }
        assertThat(lines).containsExactlyElementsOf(expected);
        Cli.Result stdout = Cli.run("export", url, "--out", "-", "-q");
        assertThat(stdout.out().lines().toList()).containsExactlyElementsOf(expected);
        assertThat(stdout.err()).as("quiet: no count on stderr either").isEmpty();
    }

    @Test
    void a_damaged_row_after_many_good_ones_stops_the_export_in_one_line_and_leaves_no_file() throws Exception {
        String url = Cli.sqliteUrl(dir, "big.db");
        int events = ReadAhead.BATCH * 2 + 10;
        appendMany(url, events);
        long damaged = ReadAhead.BATCH + 500;
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("big.db"));
             var sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE events SET payload = '[1, 2]' WHERE global_position = " + damaged);
        }
        Path file = dir.resolve("big.jsonl");

        Cli.Result result = Cli.run("export", url, "--out", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).contains("payload", "verify").doesNotContain("\tat ");
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("big.jsonl.partial")).doesNotExist();
    }

    private static void appendMany(String url, int events) {
        try (var store = Cli.open(url)) {
            for (int done = 0; done < events; ) {
                int n = Math.min(500, events - done);
                List<dev.eventsource.event.DomainEvent> batch = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    batch.add(new Cli.ItemAdded("item-" + (done + i), new java.math.BigDecimal("1.50")));
                }
                store.appendEvents(java.util.UUID.randomUUID(), "Cart", batch, dev.eventsource.store.ExpectedVersion.NO_STREAM);
                done += n;
            }
        }
    }

    @Test
    void imports_an_export_and_reports_what_it_wrote() {
        Path file = export(Cli.shop(dir));

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Imported " + file + " into " + target() + " (5 events written, 0 already there).");
    }

    @Test
    void an_exported_and_imported_store_holds_the_same_events_in_the_same_order() {
        Cli.Fixture shop = Cli.shop(dir);
        Path file = export(shop);

        Cli.run("import", target(), "--in", file.toString(), "--batch-size", "2");

        assertThat(Cli.events(target())).isEqualTo(Cli.events(shop.url()));
    }

    @Test
    void skips_events_that_are_already_imported() throws Exception {
        Path file = export(Cli.shop(dir));
        Files.write(file, Files.readAllLines(file), java.nio.file.StandardOpenOption.APPEND);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString(), "--batch-size", "3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("(5 events written, 5 already there).");
        assertThat(Cli.events(target())).hasSize(5);
    }

    @Test
    void running_the_same_import_again_writes_nothing() {
        Path file = export(Cli.shop(dir));
        Cli.run("import", target(), "--in", file.toString());

        Cli.Result again = Cli.run("import", target(), "--in", file.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("(0 events written, 5 already there).");
        assertThat(Cli.events(target())).hasSize(5);
    }

    @Test
    void reports_a_malformed_line_by_number_and_says_exactly_what_was_imported_before_it() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(3, lines.get(3).substring(0, 40));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString(), "--batch-size", "2");

        assertThat(result.exitCode()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).startsWith("eventsource: error: " + file + " line 4: not valid JSON")
                .contains("Lines 1-2 were imported before it (2 events written, 0 already there);"
                        + " nothing from line 3 on was imported.", "run the same import again");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(Cli.events(target())).hasSize(2);
    }

    @Test
    void the_same_import_run_again_after_fixing_the_line_completes_it() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        Path file = export(shop);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String good = lines.get(3);
        lines.set(3, good.substring(0, 40));
        Files.write(file, lines);
        Cli.run("import", target(), "--in", file.toString(), "--batch-size", "2");
        lines.set(3, good);
        Files.write(file, lines);

        Cli.Result fixed = Cli.run("import", target(), "--in", file.toString(), "--batch-size", "2");

        assertThat(fixed.out()).contains("(3 events written, 2 already there).");
        assertThat(Cli.events(target())).isEqualTo(Cli.events(shop.url()));
    }

    @Test
    void imports_nothing_when_the_first_batch_holds_a_malformed_line() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("\"eventType\"", "\"type\""));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.err()).contains("line 2: unknown field 'type'", "Nothing was imported.");
        assertThat(dir.resolve("imported.db")).doesNotExist();
    }

    @Test
    void a_re_import_refuses_a_line_whose_event_is_stored_with_another_payload() throws Exception {
        Path file = export(Cli.shop(dir));
        Cli.run("import", target(), "--in", file.toString());
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertThat(lines.get(0)).contains("\"name\":\"book\"");
        lines.set(0, lines.get(0).replace("\"name\":\"book\"", "\"name\":\"pen\""));
        Files.write(file, lines);

        Cli.Result again = Cli.run("import", target(), "--in", file.toString());

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(again.err()).contains(file + " line 1: ", "payload");
        assertThat(Cli.events(target())).hasSize(5);
    }

    @Test
    void a_re_import_skips_lines_that_differ_from_the_stored_events_only_in_position_or_formatting() throws Exception {
        Path file = export(Cli.shop(dir));
        Cli.run("import", target(), "--in", file.toString());
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(0, lines.get(0).replace("\"globalPosition\":1,", "\"globalPosition\":1001,"));
        lines.set(1, EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(EventJson.MAPPER.readTree(lines.get(1)))
                .replace("\n", " "));
        Files.write(file, lines);

        Cli.Result again = Cli.run("import", target(), "--in", file.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("(0 events written, 5 already there).");
        assertThat(Cli.events(target())).hasSize(5);
    }

    @Test
    void reports_an_event_that_conflicts_with_an_earlier_line() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String firstId = EventJson.MAPPER.readTree(lines.get(0)).get("eventId").asText();
        String secondId = EventJson.MAPPER.readTree(lines.get(2)).get("eventId").asText();
        lines.set(2, lines.get(2).replace(secondId, firstId));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).contains(file + " line 3: Cannot import event " + firstId, "Nothing was imported.");
    }

    @Test
    void leaves_no_new_file_behind_when_the_first_batch_is_refused() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replaceFirst("\"version\":\\d+", "\"version\":7"));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).contains("line 2: Cannot import event", "next importable version is 2");
        assertThat(dir.resolve("imported.db")).doesNotExist();
        assertThat(dir.resolve("imported.db-wal")).doesNotExist();
    }

    @Test
    void keeps_an_existing_store_when_its_import_is_refused() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        Path file = export(shop);

        Cli.Result result = Cli.run("import", shop.url(), "--in", file.toString());
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String firstId = EventJson.MAPPER.readTree(lines.get(0)).get("eventId").asText();
        lines.set(0, lines.get(0).replace(shop.cart1().toString(), shop.cart2().toString()));
        Files.write(file, lines);
        Cli.Result refused = Cli.run("import", shop.url(), "--in", file.toString());

        assertThat(result.out()).contains("(0 events written, 5 already there).");
        assertThat(refused.err()).contains("line 1: Cannot import event " + firstId);
        assertThat(shop.file()).exists();
        assertThat(Cli.events(shop.url())).hasSize(5);
    }

    @Test
    void refuses_a_missing_input_file() {
        Cli.Result result = Cli.run("import", target(), "--in", dir.resolve("nothing.jsonl").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("no file " + dir.resolve("nothing.jsonl") + " to import");
    }

    private Path export(Cli.Fixture shop) {
        Path file = dir.resolve("export.jsonl");
        assertThat(Cli.run("export", shop.url(), "--out", file.toString()).exitCode()).isZero();
        return file;
    }
}
