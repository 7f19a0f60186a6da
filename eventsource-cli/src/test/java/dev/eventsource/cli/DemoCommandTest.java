package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void runs_the_notes_example_on_a_sqlite_file_and_prints_the_reloaded_state_and_versions() {
        String url = Cli.sqliteUrl(dir, "notes.db");

        Cli.Result result = Cli.run("demo", url);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(dir.resolve("notes.db")).exists();
        assertThat(result.out()).contains("version 1", "version 2", "title   = Meeting Notes",
                "content = Discuss Q4 roadmap and budget", "version = 2", "The store now holds 2 events");
    }

    @Test
    void tells_the_user_which_commands_to_try_next_with_the_exact_url() {
        String url = Cli.sqliteUrl(dir, "notes.db");

        Cli.Result result = Cli.run("demo", url);

        assertThat(result.out()).contains("eventsource streams " + url, "eventsource events " + url + " Note ",
                "eventsource stats " + url, "eventsource verify " + url, "eventsource tail " + url);
    }

    @Test
    void the_streams_it_suggests_lists_the_note_it_wrote() {
        String url = Cli.sqliteUrl(dir, "notes.db");
        Cli.run("demo", url);

        Cli.Result streams = Cli.run("streams", url);

        assertThat(streams.out()).containsPattern("Note\\s+[0-9a-f-]{36}\\s+2\\s+2\\s+");
    }

    @Test
    void each_run_adds_one_note_to_the_same_store() {
        String url = Cli.sqliteUrl(dir, "notes.db");
        Cli.run("demo", url);

        Cli.Result second = Cli.run("demo", url);

        assertThat(second.out()).contains("The store now holds 4 events");
    }

    @Test
    void a_bare_path_to_a_new_file_is_the_sqlite_store_in_it() {
        String path = dir.resolve("bare.db").toString();

        Cli.Result first = Cli.run("demo", path);
        Cli.Result second = Cli.run("demo", path);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("The store now holds 2 events", "eventsource stats " + path);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("The store now holds 4 events");
        assertThat(Cli.run("stats", path).out()).containsPattern("Events\\s+4");
    }
}
