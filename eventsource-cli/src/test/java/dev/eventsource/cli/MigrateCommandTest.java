package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Copies between real SQLite files. */
class MigrateCommandTest {

    @TempDir
    Path dir;

    private String target() {
        return Cli.sqliteUrl(dir, "copy.db");
    }

    @Test
    void copies_every_event_and_reports_the_verified_result() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", target(), "--batch-size", "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Copied 5 events from " + shop.url() + " to " + target()
                        + " (5 written, 0 already in the target).",
                "Verified: all 3 streams have the same version in both stores.");
    }

    @Test
    void the_copy_holds_the_same_events_in_the_same_order() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.run("migrate", "--from", shop.url(), "--to", target(), "--batch-size", "2");

        assertThat(Cli.events(target())).isEqualTo(Cli.events(shop.url()));
    }

    @Test
    void running_it_again_copies_only_what_is_new() {
        Cli.Fixture shop = Cli.shop(dir);
        Cli.run("migrate", "--from", shop.url(), "--to", target());
        Cli.append(shop.url(), shop.cart2(), "Cart", new Cli.CartCheckedOut(1));

        Cli.Result again = Cli.run("migrate", "--from", shop.url(), "--to", target());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("Copied 6 events", "(1 written, 5 already in the target).");
        assertThat(Cli.events(target())).isEqualTo(Cli.events(shop.url()));
    }

    @Test
    void refuses_a_target_holding_other_events_in_the_same_streams_and_says_which() {
        Cli.Fixture shop = Cli.shop(dir);
        Cli.append(target(), shop.cart1(), "Cart", new Cli.ItemRemoved("something else"));

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", target());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.DATA_REJECTED);
        assertThat(result.err()).contains("Cart/" + shop.cart1(), "next importable version is 2");
        assertThat(Cli.events(target())).hasSize(1);
    }

    @Test
    void draws_a_progress_bar_on_stderr_when_asked() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", target(), "--progress");

        assertThat(result.err()).contains("Copying [##############################] 100% 5/5 events");
    }

    @Test
    void draws_no_progress_bar_with_quiet() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", target(), "--progress", "--quiet");

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
    void refuses_a_missing_source_file_without_creating_either_file() {
        Cli.Result result = Cli.run("migrate", "--from", Cli.sqliteUrl(dir, "missing.db"), "--to", target());

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(dir.resolve("missing.db")).doesNotExist();
        assertThat(dir.resolve("copy.db")).doesNotExist();
    }

    @Test
    void needs_both_stores() {
        Cli.Result result = Cli.run("migrate", "--from", Cli.sqliteUrl(dir, "shop.db"));

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("Missing required option: '--to=URL'");
    }
}
