package dev.eventsource.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaCommandTest {

    @Test
    void prints_the_sqlite_ddl_as_the_backend_publishes_it() {
        Cli.Result result = Cli.run("schema", "--backend", "sqlite");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("CREATE TABLE events", "CREATE TABLE snapshots", "eventsource_schema");
    }

    @Test
    void prints_the_postgresql_ddl_as_the_backend_publishes_it() {
        Cli.Result result = Cli.run("schema", "--backend", "postgresql", "--schema", "events", "--table-prefix", "shop_");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("CREATE TABLE", "events.shop_events");
    }

    @Test
    void refuses_a_postgresql_schema_name_the_backend_refuses() {
        Cli.Result result = Cli.run("schema", "--backend", "postgresql", "--schema", "Robert'); DROP TABLE x;--");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("eventsource: error: ");
    }

    @Test
    void refuses_a_backend_it_does_not_know() {
        Cli.Result result = Cli.run("schema", "--backend", "oracle");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("sqlite, postgresql");
    }
}
