package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What import does with input that is not a clean export: each refusal is one line naming the file and line. */
class ImportInputTest {

    @TempDir
    Path dir;

    private String target() {
        return Cli.sqliteUrl(dir, "imported.db");
    }

    @Test
    void refuses_a_tampered_duplicate_of_a_stored_event_naming_the_line_with_exit_code_4() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        Path file = export(shop);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"name\":\"lamp\"", "\"name\":\"gold lamp\""));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", shop.url(), "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).startsWith("eventsource: error: " + file + " line 3: Cannot import event ")
                .contains("already stores that id there, but with a different payload");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(Cli.events(shop.url()).get(2).event()).isEqualTo(new Cli.ItemAdded("lamp", new java.math.BigDecimal("30.00")));
    }

    @Test
    void refuses_an_event_outside_the_store_limits_naming_the_line_with_exit_code_4() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"name\":\"lamp\"", "\"name\":\"l\\u0000mp\""));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).startsWith("eventsource: error: " + file + " line 3: ").contains("U+0000")
                .contains("Nothing was imported.");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void refuses_a_line_that_is_not_utf_8_naming_the_file_and_line() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = Files.readAllLines(file);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
            if (i == 2) {
                line = lines.get(i).replace("lamp", "l\u0000mp").getBytes(StandardCharsets.UTF_8);
                line[indexOf(line, (byte) 0)] = (byte) 0xC3; // a lead byte followed by an ASCII letter: not UTF-8
            }
            bytes.write(line);
            bytes.write('\n');
        }
        Files.write(file, bytes.toByteArray());

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).startsWith("eventsource: error: " + file + " line 3: the line is not valid UTF-8")
                .doesNotContain("Input length");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void imports_lines_with_characters_beyond_ascii_as_written_and_exports_the_same_bytes() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"name\":\"lamp\"", "\"name\":\"l\u00e4mp \u65e5\u672c \ud83d\ude00\""));
        Files.write(file, lines);   // UTF-8: two, three and four bytes per character
        Path again = dir.resolve("again.jsonl");

        Cli.Result imported = Cli.run("import", target(), "--in", file.toString());
        Cli.Result exported = Cli.run("export", target(), "--out", again.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(Files.readAllLines(again).get(2)).contains("\"name\":\"l\u00e4mp \u65e5\u672c \ud83d\ude00\"");
    }

    @Test
    void refuses_a_directory_as_input_saying_so() {
        Cli.Result result = Cli.run("import", target(), "--in", dir.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).isEqualTo("eventsource: error: " + dir + " is a directory; give the JSON Lines file to"
                + " import (as written by export), or - for stdin\n");
        assertThat(dir.resolve("imported.db")).doesNotExist();
    }

    @Test
    void refuses_a_line_longer_than_the_line_limit_as_too_long_not_as_invalid_json() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String huge = "x".repeat(JsonLinesReader.MAX_LINE_CHARS);
        lines.set(1, lines.get(1).replace("\"name\":\"pen\"", "\"name\":\"" + huge + "\""));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).startsWith("eventsource: error: " + file + " line 2: the line is longer than "
                + JsonLinesReader.MAX_LINE_CHARS + " characters").doesNotContain("not valid JSON");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void a_valid_line_with_a_string_longer_than_the_json_readers_default_limit_is_not_called_invalid_json() throws Exception {
        Path file = export(Cli.shop(dir));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        // Jackson's default limit on one string is 20,000,000 characters; the line is valid JSON under the line limit.
        lines.set(1, lines.get(1).replace("\"name\":\"pen\"", "\"name\":\"" + "x".repeat(20_000_001) + "\""));
        Files.write(file, lines);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.err()).doesNotContain("not valid JSON");
        assertThat(result.err().lines()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void skips_a_utf_8_byte_order_mark_at_the_start_of_the_file() throws Exception {
        Path file = export(Cli.shop(dir));
        byte[] content = Files.readAllBytes(file);
        byte[] withBom = new byte[content.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(content, 0, withBom, 3, content.length);
        Files.write(file, withBom);

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("(5 events written, 0 already there).");
    }

    @Test
    void reads_lines_that_end_with_carriage_return_and_newline() throws Exception {
        Path file = export(Cli.shop(dir));
        Files.writeString(file, String.join("\r\n", Files.readAllLines(file)) + "\r\n");

        Cli.Result result = Cli.run("import", target(), "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("(5 events written, 0 already there).");
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b);
    }

    private Path export(Cli.Fixture shop) {
        Path file = dir.resolve("export.jsonl");
        assertThat(Cli.run("export", shop.url(), "--out", file.toString()).exitCode()).isZero();
        return file;
    }
}
