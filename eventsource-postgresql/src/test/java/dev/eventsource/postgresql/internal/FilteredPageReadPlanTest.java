package dev.eventsource.postgresql.internal;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forward page filtered by type, as {@link EventsTable#readPage} prepares it with the window's
 * bound ({@link AbstractEventStore#SCAN_WINDOW} past the cursor), walks the primary key over that
 * window: on an analyzed table where the selected aggregate type and event type hold nine rows in
 * ten, a custom plan and a generic one ({@code force_generic_plan}, what PostgreSQL may switch to
 * after five executions) read through {@code events_pkey}, never by a scan of the table and never
 * through the stream index, which would read every row of the type whatever the window.
 */
class FilteredPageReadPlanTest {

    @Test
    void a_type_filtered_page_walks_the_primary_key_over_its_window() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .tablePrefix("").eventRegistry(new EventRegistry()).build()) {
            store.initialize();
        }
        String table = schema + ".events";
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table + " (event_id, aggregate_type, aggregate_id, version, event_type, schema_version,"
                    + " occurred_at, recorded_at, tenant_id, metadata, payload) SELECT gen_random_uuid(),"
                    + " CASE WHEN g % 10 = 0 THEN 'Rare' ELSE 'Order' END, gen_random_uuid(), 1,"
                    + " CASE WHEN g % 10 = 0 THEN 'Flagged' ELSE 'Created' END, 1, now(), now(), NULL,"
                    + " '{}', '{\"name\": \"x\"}' FROM generate_series(1, 60000) AS g");
            s.execute("ANALYZE " + table);

            Map<ReadOptions, String> arrays = Map.of(
                    ReadOptions.builder().aggregateTypes("Order").build(), "'{Order}'",
                    ReadOptions.builder().aggregateTypes("Order", "Rare").build(), "'{Order,Rare}'",
                    ReadOptions.builder().eventTypes("Created").build(), "'{Created}'",
                    ReadOptions.builder().eventTypes("Created", "Flagged").build(), "'{Created,Flagged}'");
            long cursor = 20_000;
            for (Map.Entry<ReadOptions, String> filter : arrays.entrySet()) {
                String sql = TenantReadPlanTest.preparedPageStatement(new EventsTable(schema, ""), c, filter.getKey());
                String values = cursor + ", " + (cursor + AbstractEventStore.SCAN_WINDOW) + ", " + filter.getValue() + ", 100";
                for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                    List<String> plan = PreparedPlans.explain(c, "filtered_page", sql, mode, values);

                    assertThat(plan).as("%s, %s plan:%n%s", filter.getKey(), mode, String.join("\n", plan))
                            .noneMatch(line -> line.contains("Seq Scan") || line.contains("stream_version_key"))
                            .anyMatch(line -> line.contains("Index") && line.contains("events_pkey"));
                }
            }
        }
    }
}
