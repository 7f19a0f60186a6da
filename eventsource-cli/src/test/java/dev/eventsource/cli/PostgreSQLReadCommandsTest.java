package dev.eventsource.cli;

import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** Read commands on a real PostgreSQL (eventsource-test's {@link PostgresTestServer}): they create nothing and print no password. */
class PostgreSQLReadCommandsTest {

    @TempDir
    Path dir;

    @Test
    void read_commands_do_not_create_the_schema_of_a_store_that_is_not_there() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        String url = PostgresTestServer.url() + (PostgresTestServer.url().contains("?") ? "&" : "?") + "schema=" + schema;

        Cli.Result stats = Cli.run("stats", url);
        Cli.Result verify = Cli.run("verify", url);

        for (Cli.Result result : new Cli.Result[] {stats, verify}) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
            assertThat(result.err()).contains("holds no event store tables", "not an eventsource store");
        }
        try (var c = DriverManager.getConnection(PostgresTestServer.url());
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void stats_and_verify_print_the_store_url_without_its_password() {
        String url = PostgresTestServer.url() + (PostgresTestServer.url().contains("?") ? "&" : "?") + "schema="
                + PostgresTestServer.freshSchema();
        assertThat(url).contains("password=");
        Cli.run("migrate", "--from", Cli.shop(dir).url(), "--to", url);

        Cli.Result stats = Cli.run("stats", url);
        Cli.Result json = Cli.run("stats", url, "--json");
        Cli.Result verify = Cli.run("verify", url);

        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        assertThat(stats.out()).contains("password=***").doesNotContain(password(url));
        assertThat(json.out()).contains("password=***").doesNotContain(password(url));
        assertThat(verify.out()).contains("OK: 5 events", "Storage: not checked").doesNotContain(password(url));
    }

    private static String password(String url) {
        String rest = url.substring(url.indexOf("password=") + "password=".length());
        return "password=" + rest.split("&")[0];
    }
}
