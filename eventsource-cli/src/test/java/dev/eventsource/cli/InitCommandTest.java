package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class InitCommandTest {

    @TempDir
    Path dir;

    @Test
    void creates_a_store_file_that_read_commands_then_accept() {
        String url = Cli.sqliteUrl(dir, "new.db");

        Cli.Result init = Cli.run("init", url);

        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.out()).contains("Initialized " + url, "0 events stored");
        assertThat(Cli.run("verify", url).exitCode()).isZero();
    }

    @Test
    void leaves_the_events_of_an_existing_store_in_place() {
        String url = Cli.sqliteUrl(dir, "store.db");
        Cli.append(url, UUID.randomUUID(), "Inventory", new Cli.ItemRemoved("lamp"));

        Cli.Result init = Cli.run("init", url);

        assertThat(init.out()).contains("1 events stored");
    }

    @Test
    void refuses_a_file_that_is_not_a_sqlite_database_and_leaves_it_untouched() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a database\n");

        Cli.Result init = Cli.run("init", "sqlite:" + notes);

        assertThat(init.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(init.err()).contains("is not a SQLite database", "nothing was written");
        assertThat(Files.readString(notes)).isEqualTo("not a database\n");
    }
}
