package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The source is a real SQLite file; the target is {@code memory:} until the SQLite store can import. */
class MigrateCommandTest {

    @TempDir
    Path dir;

    @Test
    void copies_every_event_and_reports_the_verified_result() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", "memory:", "--batch-size", "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Copied 5 events from " + shop.url() + " to memory: (5 written, 0 already in the target).",
                "Verified: all 3 streams have the same version in both stores.");
    }

    @Test
    void draws_a_progress_bar_on_stderr_when_asked() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", "memory:", "--progress");

        assertThat(result.err()).contains("Copying [##############################] 100% 5/5 events");
    }

    @Test
    void draws_no_progress_bar_with_quiet() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", "memory:", "--progress", "--quiet");

        assertThat(result.err()).isEmpty();
    }

    @Test
    void refuses_the_same_store_as_source_and_target() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", shop.url());

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("--from and --to are the same store");
    }

    @Test
    void refuses_a_missing_source_file_without_creating_it() {
        Cli.Result result = Cli.run("migrate", "--from", Cli.sqliteUrl(dir, "missing.db"), "--to", "memory:");

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(dir.resolve("missing.db")).doesNotExist();
    }

    @Test
    void needs_both_stores() {
        Cli.Result result = Cli.run("migrate", "--from", Cli.sqliteUrl(dir, "shop.db"));

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("Missing required option: '--to=URL'");
    }
}
