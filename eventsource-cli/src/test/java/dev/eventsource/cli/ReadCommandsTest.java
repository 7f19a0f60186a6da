package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands that read never write: not a schema into an empty file, not a file where there was none. */
class ReadCommandsTest {

    @TempDir
    Path dir;

    private static List<List<String>> readCommands(String url, Path dir) {
        return List.of(List.of("verify", url), List.of("stats", url), List.of("streams", url),
                List.of("export", url, "--out", dir.resolve("out.jsonl").toString()),
                List.of("events", url, "Cart", UUID.randomUUID().toString()),
                List.of("tail", url, "--from-position", "0", "--max-events", "1", "--timeout", "1ms"));
    }

    @Test
    void read_commands_refuse_an_empty_file_as_not_an_eventsource_store_and_leave_it_empty() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.db"));
        String url = "sqlite:" + empty;

        for (List<String> command : readCommands(url, dir)) {
            Cli.Result result = Cli.run(command.toArray(String[]::new));

            assertThat(result.exitCode()).as(command + " " + result).isEqualTo(ExitCode.STORE_UNAVAILABLE);
            assertThat(result.err()).as(command.get(0)).contains("is not an eventsource store");
            assertThat(result.err().lines()).hasSize(1);
            assertThat(Files.size(empty)).as(command.get(0)).isZero();
        }
        assertThat(dir.resolve("out.jsonl")).doesNotExist();
    }

    @Test
    void read_commands_refuse_a_missing_file_and_create_none() {
        Path missing = dir.resolve("missing.db");

        for (List<String> command : readCommands("sqlite:" + missing, dir)) {
            Cli.Result result = Cli.run(command.toArray(String[]::new));

            assertThat(result.exitCode()).as(command + " " + result).isEqualTo(ExitCode.STORE_UNAVAILABLE);
            assertThat(result.err()).as(command.get(0)).contains("no SQLite file at " + missing);
            assertThat(missing).doesNotExist();
        }
    }

    @Test
    void read_commands_leave_a_store_of_an_older_schema_as_it_is_and_say_how_to_upgrade_it() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + shop.file())) {
            c.createStatement().executeUpdate("DELETE FROM eventsource_schema WHERE version > 1");
        }
        byte[] before = Files.readAllBytes(shop.file());

        Cli.Result result = Cli.run("stats", shop.url());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(result.err()).contains("older than this library's", "Open it writable once");
        assertThat(Files.readAllBytes(shop.file())).isEqualTo(before);
    }

    @Test
    void read_commands_inspect_a_store_and_leave_its_database_file_unchanged() throws Exception {
        Cli.Fixture shop = Cli.shop(dir);
        byte[] before = Files.readAllBytes(shop.file());

        for (List<String> command : readCommands(shop.url(), dir)) {
            if (command.get(0).equals("events")) {
                command = List.of("events", shop.url(), "Cart", shop.cart1().toString());
            }
            Cli.Result result = Cli.run(command.toArray(String[]::new));

            assertThat(result.exitCode()).as(command + " " + result).isZero();
        }
        assertThat(Files.readAllBytes(shop.file())).isEqualTo(before);
    }
}
