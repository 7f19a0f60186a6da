package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void every_command_prints_its_help() {
        for (String command : EventsourceCli.commandLine().getSubcommands().keySet()) {
            Cli.Result result = Cli.run(command, "--help");
            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.out()).as(command).startsWith("Usage: eventsource " + command).contains("--verbose");
        }
    }

    @Test
    void lists_every_command_and_the_exit_codes_in_the_top_level_help() {
        Cli.Result result = Cli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("demo", "init", "streams", "events", "tail", "stats", "migrate", "export",
                "import", "verify", "schema", "Exit codes:", "0  ok", "3  store unavailable");
    }

    @Test
    void without_a_command_prints_the_usage_and_exits_with_the_usage_code() {
        Cli.Result result = Cli.run();

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("Usage: eventsource");
    }

    @Test
    void an_unknown_option_is_a_one_line_usage_error() {
        Cli.Result result = Cli.run("stats", "--colour");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("eventsource: error: Unknown option: '--colour'").contains("eventsource stats --help");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void a_failure_is_one_line_on_stderr_without_a_stack_trace() {
        Cli.Result result = Cli.run("stats", Cli.sqliteUrl(dir, "missing.db"));

        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).startsWith("eventsource: error: ").doesNotContain("\tat ");
    }

    @Test
    void verbose_adds_the_stack_trace() {
        Cli.Result result = Cli.run("stats", "--verbose", Cli.sqliteUrl(dir, "missing.db"));

        assertThat(result.err()).startsWith("eventsource: error: ").contains("CommandFailure", "\tat ");
    }

    @Test
    void an_unknown_url_scheme_is_a_usage_error_naming_the_accepted_forms() {
        Cli.Result result = Cli.run("streams", "mysql://localhost/events");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("no backend accepts the store URL 'mysql://localhost/events'", "memory:",
                "sqlite:./events.db");
    }

    @Test
    void an_unreachable_postgresql_server_is_a_one_line_store_unavailable_error() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Cli.Result result = Cli.run("streams", "postgresql://app:secret@127.0.0.1:" + port + "/events");

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).startsWith("eventsource: error: cannot open postgresql://app:***@127.0.0.1:" + port + "/events")
                .contains("refused");
    }

    @Test
    void a_cannot_open_error_shows_a_jdbc_url_without_its_password_parameter() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Cli.Result result = Cli.run("stats", "jdbc:postgresql://127.0.0.1:" + port + "/events?user=app&password=s3cret");

        assertThat(result.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(result.err()).startsWith("eventsource: error: cannot open jdbc:postgresql://127.0.0.1:" + port
                + "/events?user=app&password=***: ").doesNotContain("s3cret");
    }

    @Test
    void an_unknown_url_is_reported_without_its_password() {
        Cli.Result result = Cli.run("stats", "mysql://app:s3cret@localhost/events");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("'mysql://app:***@localhost/events'").doesNotContain("s3cret");
    }

    @Test
    void refuses_a_sqlite_resource_pseudo_url_before_any_network_request_and_writes_nothing() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "sqlite::resource:http://127.0.0.1:" + port + "/x.db";

        Cli.Result imported = Cli.run("init", url);
        Cli.Result read = Cli.run("stats", url);

        for (Cli.Result result : List.of(imported, read)) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(result.err()).contains("SQLite names starting with ':' are driver instructions")
                    .doesNotContain("Connection refused");
            assertThat(result.out()).isEmpty();
        }
    }
}
