package dev.eventsource.postgresql;

import dev.eventsource.store.IncompatibleStoreException;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.EventSourceException;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only the PostgreSQL store promises: names, schema, pool ownership, URLs and many writers. */
class PostgreSQLEventStoreTest {

    record Noted(String text) implements DomainEvent {
    }

    private static PostgreSQLEventStore newStore(String schema) {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema).eventRegistry(new EventRegistry()).build();
    }

    private static List<String> rows(String sql) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Public", "1abc", "a-b", "events; drop table x", "a b", "\"quoted\"", "é",
            "a123456789012345678901234567890123456789012"})
    void refuses_a_schema_name_that_is_not_a_plain_lower_case_identifier(String schema) {
        assertThatThrownBy(() -> PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a-z_][a-z0-9_]{0,40}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Events_", "x.y_", "p'; --", "9_"})
    void refuses_a_table_prefix_that_is_not_a_plain_lower_case_identifier(String prefix) {
        assertThatThrownBy(() -> PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).tablePrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tablePrefix");
    }

    @Test
    void schema_sql_refuses_names_it_could_not_put_into_sql_safely() {
        assertThatThrownBy(() -> PostgreSQLEventStore.schemaSql("public; drop", "eventsource_"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgreSQLEventStore.schemaSql("public", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_empty_table_prefix_names_the_tables_plainly() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .tablePrefix("").eventRegistry(new EventRegistry()).build()) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM);
        }

        assertThat(rows("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "' ORDER BY 1"))
                .containsExactly("dead_letters", "events", "schema_version", "snapshots", "subscription_checkpoints");
    }

    @Test
    void schema_sql_applied_by_hand_is_recognised_by_initialize_and_left_alone() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        execute("CREATE SCHEMA " + schema);
        String ddl = PostgreSQLEventStore.schemaSql(schema, "eventsource_");
        execute(ddl);
        execute(ddl);

        try (PostgreSQLEventStore store = newStore(schema)) {
            store.initialize();
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM);
            assertThat(store.globalPosition()).isEqualTo(1);
        }
        assertThat(rows("SELECT version FROM " + schema + ".eventsource_schema_version ORDER BY 1")).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void initialize_refuses_a_schema_written_by_a_newer_library_and_changes_nothing() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = newStore(schema)) {
            store.initialize();
        }
        execute("INSERT INTO " + schema + ".eventsource_schema_version (version, description) VALUES (99, 'future')");

        try (PostgreSQLEventStore store = newStore(schema)) {
            assertThatThrownBy(store::initialize)
                    .isInstanceOf(IncompatibleStoreException.class)
                    .satisfies(e -> assertThat(((IncompatibleStoreException) e).kind())
                            .isEqualTo(IncompatibleStoreException.Kind.NEWER_SCHEMA))
                    .hasMessageContaining("schema version 99")
                    .hasMessageContaining("Upgrade eventsource-postgresql");
        }
        assertThat(rows("SELECT version FROM " + schema + ".eventsource_schema_version ORDER BY 1")).containsExactly("1", "2", "3", "4", "5", "6", "99");
    }

    @Test
    void eight_instances_initializing_one_schema_at_the_same_moment_all_succeed_and_create_it_once() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        int instances = 8;
        CyclicBarrier start = new CyclicBarrier(instances);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<PostgreSQLEventStore> stores = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                // Separate pools, as separate application instances would have.
                PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema).maxPoolSize(2)
                        .eventRegistry(new EventRegistry()).build();
                stores.add(store);
                done.add(pool.submit(() -> {
                    start.await();
                    store.initialize();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            stores.get(0).appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM);
            assertThat(stores.get(instances - 1).globalPosition()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            stores.forEach(EventStore::close);
        }
        assertThat(rows("SELECT version FROM " + schema + ".eventsource_schema_version ORDER BY 1")).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void closing_a_store_leaves_the_callers_data_source_open() throws SQLException {
        try (HikariDataSource mine = new HikariDataSource()) {
            mine.setJdbcUrl(PostgresTestServer.url());
            mine.setMaximumPoolSize(2);
            PostgreSQLEventStore store = PostgreSQLEventStore.builder(mine).schema(PostgresTestServer.freshSchema())
                    .eventRegistry(new EventRegistry()).build();
            store.initialize();

            store.close();

            assertThat(store.ownsDataSource()).isFalse();
            assertThat(mine.isClosed()).isFalse();
            try (Connection c = mine.getConnection()) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void closing_a_store_built_from_a_url_closes_the_pool_it_created() {
        PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(PostgresTestServer.freshSchema())
                .eventRegistry(new EventRegistry()).build();
        store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM);
        HikariDataSource pool = (HikariDataSource) store.dataSource();

        store.close();

        assertThat(store.ownsDataSource()).isTrue();
        assertThat(pool.isClosed()).isTrue();
    }

    @Test
    void building_a_store_from_a_url_does_not_connect() {
        PostgreSQLEventStore store = PostgreSQLEventStore.builder("jdbc:postgresql://127.0.0.1:1/none").build();

        assertThat(((HikariDataSource) store.dataSource()).isRunning()).isFalse();
        store.close();
    }

    @Test
    void pool_options_are_refused_for_a_data_source_the_caller_owns() {
        PostgreSQLEventStore.Builder builder = PostgreSQLEventStore.builder(PostgresTestServer.dataSource());

        assertThatThrownBy(() -> builder.maxPoolSize(4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configure it on your DataSource");
        assertThatThrownBy(() -> builder.credentials("u", "p")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_url_that_is_not_a_postgresql_jdbc_url_is_refused_with_an_example() {
        assertThatThrownBy(() -> PostgreSQLEventStore.builder("jdbc:mysql://localhost/app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://localhost:5432/app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://app:s3cret@db.example:99999/app", "postgresql://app:s3cret@db.example:0/app",
            "jdbc:postgresql://db.example:70000/app?user=app&password=s3cret"})
    void a_port_out_of_range_is_refused_by_name_without_the_password(String url) {
        assertThatThrownBy(() -> EventStores.open(url, new EventRegistry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port must be between 1 and 65535")
                .message().doesNotContain("s3cret");
    }

    @Test
    void event_stores_open_accepts_a_postgresql_url_with_credentials_schema_and_prefix() {
        URI jdbc = URI.create(PostgresTestServer.url().substring("jdbc:".length()));
        String user = param(jdbc, "user");
        String password = param(jdbc, "password");
        String schema = PostgresTestServer.freshSchema();
        String url = "postgresql://" + user + ":" + (password == null ? "" : password) + "@" + jdbc.getHost() + ":"
                + jdbc.getPort() + jdbc.getPath() + "?schema=" + schema + "&tablePrefix=app_";

        try (EventStore store = EventStores.open(url, new EventRegistry())) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM);

            assertThat(store).isInstanceOf(PostgreSQLEventStore.class);
            assertThat(((PostgreSQLEventStore) store).schema()).isEqualTo(schema);
            assertThat(((PostgreSQLEventStore) store).tablePrefix()).isEqualTo("app_");
            assertThat(((PostgreSQLEventStore) store).ownsDataSource()).isTrue();
            assertThat(store.globalPosition()).isEqualTo(1);
        }
    }

    @Test
    void event_stores_open_accepts_a_jdbc_url() {
        String schema = PostgresTestServer.freshSchema();

        try (EventStore store = EventStores.open(PostgresTestServer.url() + (PostgresTestServer.url().contains("?") ? "&" : "?")
                + "schema=" + schema, new EventRegistry())) {
            assertThat(((PostgreSQLEventStore) store).schema()).isEqualTo(schema);
            assertThat(store.globalPosition()).isZero();
        }
    }

    @Test
    void payloads_are_jsonb_that_sql_can_query() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = newStore(schema)) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("hello")), ExpectedVersion.NO_STREAM);
        }

        assertThat(rows("SELECT payload ->> 'text' FROM " + schema + ".eventsource_events WHERE payload @> '{\"text\":\"hello\"}'"))
                .containsExactly("hello");
    }

    @Test
    void the_events_of_one_append_take_positions_in_version_order() {
        UUID id = UUID.randomUUID();
        try (PostgreSQLEventStore store = newStore(PostgresTestServer.freshSchema())) {
            store.appendEvents(id, "Note", IntStream.range(0, 200).mapToObj(i -> new Noted("n" + i)).toList(),
                    ExpectedVersion.NO_STREAM);

            List<StoredEvent> events = store.getEvents(id, "Note").events();
            assertThat(events).extracting(StoredEvent::globalPosition).isSorted().doesNotHaveDuplicates();
            assertThat(events).extracting(e -> ((Noted) e.event()).text())
                    .containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(i -> "n" + i).toList());
        }
    }

    @Test
    void thirty_two_threads_on_a_ten_connection_pool_lose_and_duplicate_nothing() throws Exception {
        int threads = 32;
        int appends = 20;
        UUID hot = UUID.randomUUID();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(PostgresTestServer.freshSchema())
                .maxPoolSize(10).eventRegistry(new EventRegistry()).build()) {
            store.initialize();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<UUID> own = IntStream.range(0, threads).mapToObj(i -> UUID.randomUUID()).toList();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    UUID mine = own.get(t);
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < appends; i++) {
                            // Half to a stream of its own, half contended: ANY re-decides after every collision.
                            store.appendEvents(i % 2 == 0 ? mine : hot, "Note", List.of(new Noted("e" + i)), ExpectedVersion.ANY);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            List<StoredEvent> all;
            try (Stream<StoredEvent> events = store.readAll()) {
                all = events.collect(Collectors.toList());
            }
            assertThat(all).hasSize(threads * appends);
            assertThat(all).extracting(StoredEvent::globalPosition).isSorted().doesNotHaveDuplicates();
            assertThat(store.getEvents(hot, "Note").events()).extracting(StoredEvent::version)
                    .containsExactlyElementsOf(LongStreamRange.closed(1, threads * appends / 2));
            for (UUID mine : own) {
                assertThat(store.getStreamVersion(mine, "Note")).isEqualTo(appends / 2);
            }
        }
    }

    /**
     * Sixteen writers on one stream, with a pool of sixteen connections so that they all reach the
     * database: every append goes through (no "kept colliding" after the few attempts an append
     * has), and the stream holds each exactly once, versions without gaps. Before the fast path
     * gave way to the stream lock's holder, the holder could lose to fast-path writers again and
     * again (which is why the attempts had been raised to 100).
     */
    @Test
    void sixteen_writers_on_one_stream_all_succeed_without_running_out_of_attempts() throws Exception {
        int threads = 16;
        int appends = 40;
        UUID hot = UUID.randomUUID();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(PostgresTestServer.freshSchema())
                .maxPoolSize(threads).eventRegistry(new EventRegistry()).build()) {
            store.initialize();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int writer = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < appends; i++) {
                            store.appendEvents(hot, "Note", List.of(new Noted(writer + "/" + i)), ExpectedVersion.ANY);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            List<StoredEvent> stream = store.getEvents(hot, "Note").events();
            assertThat(stream).extracting(StoredEvent::version).containsExactlyElementsOf(LongStreamRange.closed(1, threads * appends));
            assertThat(stream).extracting(e -> ((Noted) e.event()).text()).doesNotHaveDuplicates().hasSize(threads * appends);
        }
    }

    private static String param(URI uri, String name) {
        if (uri.getQuery() == null) {
            return null;
        }
        for (String p : uri.getQuery().split("&")) {
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static final class LongStreamRange {
        static List<Long> closed(long from, long to) {
            return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
        }
    }
}
