package dev.eventsource.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaCommandTest {

    @Test
    void says_that_the_sqlite_backend_does_not_publish_its_ddl() {
        Cli.Result result = Cli.run("schema", "--backend", "sqlite");

        assertThat(result.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(result.err()).contains("SQLiteEventStore does not publish its DDL in this version", "init URL");
    }

    @Test
    void refuses_a_backend_it_does_not_know() {
        Cli.Result result = Cli.run("schema", "--backend", "oracle");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("sqlite, postgresql");
    }
}
