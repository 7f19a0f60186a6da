package dev.eventsource.postgresql.internal;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant filter of the global log (a view's {@code readAll}, a tenant subscription's pages) is
 * served by the tenant index: the page statement, exactly as {@link EventsTable#readPage} prepares
 * it, is planned on an analyzed table of 200 tenants (and rows of none) with its values (a custom plan) and
 * generically ({@code plan_cache_mode = force_generic_plan}, what PostgreSQL switches to after five
 * executions), and each plan reads the table through {@code events_by_tenant}, never by a scan.
 */
class TenantReadPlanTest {

    /** Many tenants, each a small share of the log: the case the index is for (without it a page walks the whole log). */
    private static final int TENANTS = 200;

    @ParameterizedTest
    @CsvSource({"FORWARD, ''", "BACKWARD, ''", "FORWARD, es_"})
    void a_tenant_filtered_page_of_the_global_log_reads_the_tenant_index(ReadDirection direction, String prefix) throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .tablePrefix(prefix).eventRegistry(new EventRegistry()).build()) {
            store.initialize();
        }
        String table = schema + "." + prefix + "events";
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table + " (event_id, aggregate_type, aggregate_id, version, event_type, schema_version,"
                    + " occurred_at, recorded_at, tenant_id, metadata, payload) SELECT gen_random_uuid(), 'Item', gen_random_uuid(), 1,"
                    + " 'Created', 1, now(), now(), CASE WHEN g % 10 = 0 THEN NULL ELSE 'tenant-' || (g % " + TENANTS + ") END,"
                    + " '{}', '{\"name\": \"x\"}' FROM generate_series(1, 30000) AS g");
            s.execute("ANALYZE " + table);

            ReadOptions options = ReadOptions.builder().tenantId("tenant-7").direction(direction).build();
            String sql = preparedPageStatement(new EventsTable(schema, prefix), c, options);
            assertThat(sql).contains("tenant_id = ?");
            String values = direction == ReadDirection.FORWARD ? "0, 1000000, 'tenant-7', 100" : "1000000, 'tenant-7', 100";

            for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                List<String> plan = PreparedPlans.explain(c, "tenant_page", sql, mode, values);

                assertThat(plan).as("%s plan:%n%s", mode, String.join("\n", plan))
                        .noneMatch(line -> line.contains("Seq Scan"))
                        .anyMatch(line -> line.contains("Index") && line.contains(prefix + "events_by_tenant"));
            }
        }
    }

    /** The page statement {@link EventsTable#readPage} prepares for {@code options}, recorded from the connection it is given. */
    static String preparedPageStatement(EventsTable table, Connection c, ReadOptions options) throws SQLException {
        List<String> prepared = new ArrayList<>();
        Connection recording = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        prepared.add((String) args[0]);
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        table.readPage(recording, options, options.direction() == ReadDirection.FORWARD ? 0 : Long.MAX_VALUE, Long.MAX_VALUE, 100);
        return prepared.stream().filter(sql -> sql.contains(" FROM ")).reduce((a, b) -> b).orElseThrow();
    }
}
