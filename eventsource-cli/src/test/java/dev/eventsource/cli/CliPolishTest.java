package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What people read: grouped and right-aligned numbers, human durations and sizes, bare paths, quiet demo, short help pages. */
class CliPolishTest {

    @TempDir
    Path dir;

    @Test
    void numbers_are_grouped_and_their_columns_right_aligned() {
        StringWriter out = new StringWriter();
        Table.print(new PrintWriter(out, true), List.of(new String[] {"TYPE", "EVENTS", "NOTE"},
                new String[] {"OrderPlaced", "1234567", "12a"}, new String[] {"Shipped", "42", "7"}));

        assertThat(out.toString().lines()).containsExactly(
                "TYPE            EVENTS  NOTE",
                "OrderPlaced  1,234,567  12a",
                "Shipped             42  7");
    }

    @Test
    void durations_sizes_and_rates_read_as_people_say_them() {
        assertThat(Human.duration(Duration.ofMillis(412))).isEqualTo("412 ms");
        assertThat(Human.duration(Duration.ofMillis(35_476))).isEqualTo("35.5 s");
        assertThat(Human.duration(Duration.ofSeconds(125))).isEqualTo("2 min 05 s");
        assertThat(Human.duration(Duration.ofMinutes(62))).isEqualTo("1 h 02 min");
        assertThat(Human.bytes(512)).isEqualTo("512 B");
        assertThat(Human.bytes(3_355_443)).isEqualTo("3.2 MiB");
        assertThat(Human.count(35_476)).isEqualTo("35,476");
        assertThat(Human.rate(24_000, Duration.ofSeconds(2), "events")).isEqualTo("12,000 events/s");
    }

    @Test
    void a_bare_path_names_a_sqlite_store() {
        Cli.Fixture shop = Cli.shop(dir);

        Cli.Result byPath = Cli.run("streams", shop.file().toString());
        Cli.Result relative = Cli.run("stats", dir.relativize(shop.file()).toString());

        assertThat(byPath.exitCode()).as(byPath.toString()).isZero();
        assertThat(byPath.out()).contains(shop.cart1().toString());
        assertThat(relative.exitCode()).as("a path relative to another directory is looked up where the command runs")
                .isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(relative.err()).contains("no SQLite file at");
        assertThat(Cli.run("streams", "no-such-scheme").err()).contains("or the path of a SQLite file");
    }

    @Test
    void quiet_demo_prints_the_example_without_the_next_steps() {
        String url = Cli.sqliteUrl(dir, "demo.db");

        Cli.Result quiet = Cli.run("demo", url, "-q");
        Cli.Result chatty = Cli.run("demo", url);

        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.out()).contains("Created note").doesNotContain("Look inside the store", "--help");
        assertThat(quiet.err()).isEmpty();
        assertThat(chatty.out()).contains("Look inside the store");
    }

    @Test
    void a_command_page_lists_its_own_options_and_names_the_common_ones_once() {
        Cli.Result help = Cli.run("streams", "--help");
        Cli.Result top = Cli.run("--help");

        assertThat(help.out()).contains("--limit", "--tenant")
                .doesNotContain("--verbose    ", "Show this help message")
                .contains("Every command also takes -q/--quiet, --verbose, --progress and -h/--help");
        assertThat(top.out()).contains("--verbose", "Show this help message");
        assertThat(Cli.run("streams", "--verbose", "--progress", "-q", dir.resolve("none.db").toString()).exitCode())
                .as("the hidden common options still work").isEqualTo(ExitCode.STORE_UNAVAILABLE);
    }
}
