package dev.eventsource.sqlite.internal;

import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.AbstractEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query the store runs is answered from an index: {@code EXPLAIN QUERY PLAN} shows no scan
 * of the events table, and no readAll page sorts rows (a page must cost its own size, not the
 * size of the log behind it).
 */
class QueryPlanTest {

    private Connection connection;
    private EventQueries queries;

    /** The table prefix of the store under test; {@link PrefixedQueryPlanTest} runs every test with one. */
    String prefix() {
        return "";
    }

    @BeforeEach
    void createSchema() throws Exception {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        new Schema(":memory:", prefix()).migrate(connection);
        queries = new EventQueries(prefix());
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void reading_a_stream_searches_the_stream_index() throws Exception {
        assertThat(plan(queries.readStream, "Note", "id", 0)).noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains("(aggregate_type=? AND aggregate_id=? AND version>?)"));
    }

    @Test
    void the_stream_version_is_read_from_the_stream_index() throws Exception {
        assertThat(plan(queries.streamVersion, "Note", "id")).noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains("COVERING INDEX"));
    }

    @Test
    void event_id_lookups_search_the_event_id_index() throws Exception {
        assertThat(plan(queries.eventExists, "id")).noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains("(event_id=?)"));
        assertThat(plan(queries.findEvent, "id")).noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains("(event_id=?)"));
    }

    @Test
    void the_global_position_is_read_from_the_primary_key() throws Exception {
        assertThat(plan(queries.globalPosition)).noneMatch(QueryPlanTest::scansOrSorts);
    }

    @Test
    void an_unfiltered_page_walks_the_primary_key_in_both_directions() throws Exception {
        assertThat(pagePlan(ReadOptions.ALL)).noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains("INTEGER PRIMARY KEY (rowid>? AND rowid<?)"));
        assertThat(pagePlan(ReadOptions.builder().direction(ReadDirection.BACKWARD).build()))
                .noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains("INTEGER PRIMARY KEY (rowid<?)"));
    }

    @Test
    void a_page_of_one_event_type_or_aggregate_type_walks_the_primary_key_within_the_window() throws Exception {
        // No index serves a type in position order (the stream index starts with aggregate_type but is
        // ordered by stream): the page walks the primary key between the cursor and the window's bound.
        for (ReadOptions options : List.of(ReadOptions.builder().eventTypes("NoteCreated").build(),
                ReadOptions.builder().aggregateTypes("Note").build())) {
            assertThat(pagePlan(options)).as(options.toString()).noneMatch(QueryPlanTest::scansOrSorts)
                    .anyMatch(line -> line.contains("INTEGER PRIMARY KEY (rowid>? AND rowid<?)"));
        }
        assertThat(pagePlan(ReadOptions.builder().eventTypes("NoteCreated").direction(ReadDirection.BACKWARD).build()))
                .noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains("INTEGER PRIMARY KEY (rowid<?)"));
    }

    @Test
    void no_index_of_the_events_table_but_the_tenant_index_is_in_position_order() throws Exception {
        // A (column, global_position) index on a type would cost every append a page (ADR 0004, point 7).
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")) {
            query.setString(1, prefix() + "events");
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
        }
        assertThat(indexes).containsExactly(prefix() + "events_by_tenant");
    }

    @Test
    void a_page_of_one_tenant_walks_the_tenant_index() throws Exception {
        assertThat(pagePlan(ReadOptions.builder().tenantId("acme").build()))
                .noneMatch(QueryPlanTest::scansOrSorts)
                .anyMatch(line -> line.contains(prefix() + "events_by_tenant"));
    }

    @Test
    void pages_filtered_by_several_types_or_by_time_never_scan_or_sort() throws Exception {
        List<ReadOptions> filters = List.of(
                ReadOptions.builder().eventTypes("A", "B").build(),
                ReadOptions.builder().aggregateTypes("Note", "Task").build(),
                ReadOptions.builder().fromTimestamp(Instant.EPOCH).toTimestamp(Instant.now()).build(),
                ReadOptions.builder().eventTypes("A", "B").aggregateTypes("Note").tenantId("acme")
                        .fromTimestamp(Instant.MIN).direction(ReadDirection.BACKWARD).build());
        for (ReadOptions options : filters) {
            assertThat(pagePlan(options)).as(options.toString()).noneMatch(QueryPlanTest::scansOrSorts);
        }
    }

    private static boolean scansOrSorts(String line) {
        return line.startsWith("SCAN") || line.contains("TEMP B-TREE");
    }

    private List<String> pagePlan(ReadOptions options) throws Exception {
        EventQueries.PageQuery page = queries.page(options, 0, AbstractEventStore.SCAN_WINDOW, 500);
        try (PreparedStatement explain = page.bind(connection.prepareStatement("EXPLAIN QUERY PLAN " + page.sql()))) {
            return details(explain);
        }
    }

    private List<String> plan(String sql, Object... parameters) throws Exception {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                explain.setObject(i + 1, parameters[i]);
            }
            return details(explain);
        }
    }

    private static List<String> details(PreparedStatement explain) throws Exception {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = explain.executeQuery()) {
            while (rs.next()) {
                lines.add(rs.getString("detail"));
            }
        }
        return lines;
    }
}
