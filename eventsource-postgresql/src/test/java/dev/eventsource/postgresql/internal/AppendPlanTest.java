package dev.eventsource.postgresql.internal;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No plan of the append path's statements scans the events table: each statement is prepared as
 * the driver prepares it, planned generically ({@code plan_cache_mode = force_generic_plan}, what
 * PostgreSQL switches to after five executions when the generic plan looks no worse) on a table
 * that was never analyzed, and its plan may touch the table through its indexes only.
 */
class AppendPlanTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "es_"})
    void no_generic_plan_of_an_append_statement_scans_the_unanalyzed_events_table(String prefix) throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .tablePrefix(prefix).eventRegistry(new EventRegistry()).build()) {
            store.initialize();
        }
        EventsTable table = new EventsTable(schema, prefix);
        try (Connection c = PostgresTestServer.connect()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(last_analyze, last_autoanalyze)"
                    + " IS NULL FROM pg_stat_user_tables WHERE schemaname = '" + schema + "' AND relname = '" + prefix + "events'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("the table must be unanalyzed").isTrue();
            }
            for (Map.Entry<String, String> statement : table.appendStatements().entrySet()) {
                List<String> plan = PreparedPlans.explain(c, statement.getKey(), statement.getValue(), "force_generic_plan", null);

                assertThat(plan).as("generic plan of %s:%n%s", statement.getKey(), String.join("\n", plan))
                        .noneMatch(line -> line.contains("Seq Scan on " + prefix + "events "));
                if (!statement.getKey().equals("insert")) {
                    // Every other statement reads the table: through an index.
                    assertThat(plan).as("generic plan of %s:%n%s", statement.getKey(), String.join("\n", plan))
                            .anyMatch(line -> line.contains("Index"));
                }
            }
        }
    }
}
