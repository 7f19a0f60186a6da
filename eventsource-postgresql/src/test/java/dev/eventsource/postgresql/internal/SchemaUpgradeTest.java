package dev.eventsource.postgresql.internal;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A schema written by any earlier version of the library is brought to {@link Schema#LATEST} by the
 * stores that open it, several at once, with its events kept and its writer announcement in
 * PL/pgSQL (version 6), and appends and reads work on it afterwards; a read-only store refuses it
 * and changes nothing.
 */
class SchemaUpgradeTest {

    private static final String PREFIX = PostgreSQLEventStore.DEFAULT_TABLE_PREFIX;
    private static final int OPENERS = 4;

    record Pinged(int n) implements DomainEvent {
    }

    static IntStream earlierVersions() {
        return IntStream.range(1, Schema.LATEST);
    }

    @ParameterizedTest(name = "from version {0}")
    @MethodSource("earlierVersions")
    void concurrent_openers_upgrade_an_earlier_schema_keeping_its_events(int version) throws Exception {
        String schema = earlierSchemaWithOneEvent(version);

        ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
        List<PostgreSQLEventStore> stores = new ArrayList<>();
        try {
            List<Callable<Long>> opens = new ArrayList<>();
            for (int i = 0; i < OPENERS; i++) {
                PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema)
                        .maxPoolSize(2).eventRegistry(new EventRegistry().register(Pinged.class)).tracing(false).build();
                stores.add(store);
                opens.add(() -> {
                    store.initialize();
                    return store.globalPosition();
                });
            }
            for (Future<Long> opened : pool.invokeAll(opens)) {
                assertThat(opened.get()).as("every opener sees the stored event").isEqualTo(1);
            }
            PostgreSQLEventStore store = stores.get(0);
            store.appendEvents(UUID.randomUUID(), "Ping", List.of(new Pinged(8)), ExpectedVersion.NO_STREAM);
            try (var all = store.readAll()) {
                assertThat(all.map(e -> ((Pinged) e.event()).n()).toList()).containsExactly(7, 8);
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(PostgreSQLEventStore::close);
        }
        assertThat(strings("SELECT version::text FROM " + schema + "." + PREFIX + "schema_version ORDER BY version"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, Schema.LATEST).mapToObj(Integer::toString).toList());
        assertThat(announcementLanguage(schema)).isEqualTo("plpgsql");
    }

    @ParameterizedTest(name = "at version {0}")
    @MethodSource("earlierVersions")
    void a_read_only_store_refuses_an_earlier_schema_and_changes_nothing(int version) throws Exception {
        String schema = earlierSchemaWithOneEvent(version);
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema)
                .eventRegistry(new EventRegistry().register(Pinged.class)).tracing(false).readOnly(true).build()) {
            assertThatThrownBy(store::initialize).isInstanceOf(StoreNotInitializedException.class)
                    .hasMessageContaining("schema version " + version)
                    .hasMessageContaining("open it writable once to upgrade it");
        }
        assertThat(strings("SELECT max(version)::text FROM " + schema + "." + PREFIX + "schema_version"))
                .containsExactly(Integer.toString(version));
        assertThat(announcementLanguage(schema)).isEqualTo("sql");
        assertThat(strings("SELECT count(*)::text FROM " + schema + "." + PREFIX + "events")).containsExactly("1");
    }

    /** A schema written by the scripts up to {@code version}, holding one event written as a writer of that version writes. */
    private static String earlierSchemaWithOneEvent(int version) throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        Schema scripts = new Schema(schema, PREFIX);
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            for (int v = 1; v <= version; v++) {
                s.execute(scripts.script(v));
            }
            // Announce, then insert, in one transaction.
            c.setAutoCommit(false);
            s.execute("SELECT " + schema + "." + PREFIX + "announce_writer()");
            s.execute("INSERT INTO " + schema + "." + PREFIX + "events (event_id, aggregate_type, aggregate_id, version,"
                    + " event_type, schema_version, occurred_at, recorded_at, metadata, payload) VALUES ('"
                    + UUID.randomUUID() + "', 'Ping', '" + UUID.randomUUID() + "', 1, 'Pinged', 1, now(), now(), '{}',"
                    + " '{\"n\": 7}')");
            c.commit();
        }
        assertThat(announcementLanguage(schema)).as("the announcement of version " + version).isEqualTo("sql");
        return schema;
    }

    private static String announcementLanguage(String schema) throws SQLException {
        List<String> found = strings("SELECT l.lanname FROM pg_catalog.pg_proc AS p"
                + " JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace"
                + " JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang"
                + " WHERE n.nspname = '" + schema + "' AND p.proname = '" + PREFIX + "announce_writer'");
        assertThat(found).as("one announcement function").hasSize(1);
        return found.get(0);
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
