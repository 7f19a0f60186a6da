package dev.eventsource.cli;

import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The move the tool is for: a SQLite file into a real PostgreSQL (eventsource-test's {@link PostgresTestServer}). */
class MigrateToPostgreSQLTest {

    @TempDir
    Path dir;

    private static String freshPostgreSQL() {
        String url = PostgresTestServer.url();
        return url + (url.contains("?") ? "&" : "?") + "schema=" + PostgresTestServer.freshSchema();
    }

    @Test
    void copies_a_sqlite_file_into_postgresql_and_verifies_it() {
        Cli.Fixture shop = Cli.shop(dir);
        String target = freshPostgreSQL();

        Cli.Result result = Cli.run("migrate", "--from", shop.url(), "--to", target, "--batch-size", "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("(5 written, 0 already in the target).",
                "Verified: all 3 streams have the same version in both stores.");
        assertThat(Cli.events(target)).isEqualTo(Cli.events(shop.url()));
    }

    @Test
    void a_repeated_migration_into_postgresql_writes_nothing() {
        Cli.Fixture shop = Cli.shop(dir);
        String target = freshPostgreSQL();
        Cli.run("migrate", "--from", shop.url(), "--to", target);

        Cli.Result again = Cli.run("migrate", "--from", shop.url(), "--to", target);

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("(0 written, 5 already in the target).");
        assertThat(Cli.events(target)).hasSize(5);
    }

    @Test
    void an_export_imports_into_postgresql() {
        Cli.Fixture shop = Cli.shop(dir);
        Path file = dir.resolve("shop.jsonl");
        Cli.run("export", shop.url(), "--out", file.toString());
        String target = freshPostgreSQL();

        Cli.Result result = Cli.run("import", target, "--in", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Cli.events(target)).isEqualTo(Cli.events(shop.url()));
    }
}
