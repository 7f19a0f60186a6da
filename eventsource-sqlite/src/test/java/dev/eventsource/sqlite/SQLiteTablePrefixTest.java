package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.subscription.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Table prefixes: several stores, and an application's own tables, in one SQLite file.
 */
class SQLiteTablePrefixTest {

    public record Noted(String text) implements DomainEvent {
    }

    @TempDir
    Path dir;

    /** An application's read models with the names an unprefixed store would use. */
    static void createApplicationTables(String file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, what TEXT NOT NULL)");
            s.execute("INSERT INTO events (what) VALUES ('the application''s own row')");
            s.execute("CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> tables(String file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private static EventRegistry registry() {
        EventRegistry registry = new EventRegistry();
        registry.register(Noted.class);
        return registry;
    }

    @Test
    void a_default_store_refuses_a_file_whose_events_table_is_not_its_own_and_changes_nothing() throws Exception {
        String file = dir.resolve("app.db").toString();
        createApplicationTables(file);
        try (SQLiteEventStore store = SQLiteEventStore.builder(file).eventRegistry(registry()).build()) {
            assertThatThrownBy(store::initialize).isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("already holds a table named events")
                    .hasMessageContaining("tablePrefix");
        }
        assertThat(tables(file)).containsExactly("events", "snapshots");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT what FROM events")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("the application's own row");
        }
    }

    @Test
    void a_new_store_also_refuses_a_taken_name_of_a_table_it_would_create_later_in_its_migrations() throws Exception {
        String file = dir.resolve("dlq.db").toString();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dead_letters (id INTEGER PRIMARY KEY, mail TEXT)");
        }
        try (SQLiteEventStore store = SQLiteEventStore.builder(file).eventRegistry(registry()).build()) {
            assertThatThrownBy(store::initialize).isInstanceOf(IncompatibleStoreException.class)
                    .hasMessageContaining("already holds a table named dead_letters");
        }
        assertThat(tables(file)).containsExactly("dead_letters");
    }

    @Test
    void stores_with_different_prefixes_share_a_file_without_seeing_each_other() throws Exception {
        String file = dir.resolve("shared.db").toString();
        createApplicationTables(file);
        UUID id = UUID.randomUUID();
        try (EventStoreBackend a = EventStoreBackends.open("sqlite:" + file + "?tablePrefix=a_", registry());
             EventStoreBackend b = EventStoreBackends.open("sqlite:" + file + "?tablePrefix=b_", registry())) {
            a.store().appendEvents(id, "Note", List.of(new Noted("in a"), new Noted("again in a")), ExpectedVersion.NO_STREAM);
            b.store().appendEvents(id, "Note", List.of(new Noted("in b")), ExpectedVersion.NO_STREAM);
            a.snapshots().save(new Snapshot(id, "Note", 2, 1, "{}", Instant.now()));
            a.checkpoints().save(new Checkpoint("projection", 2, 2, null, null, Instant.now()));

            assertThat(a.store().getEvents(id, "Note").version()).isEqualTo(2);
            assertThat(b.store().getEvents(id, "Note").events()).singleElement()
                    .satisfies(e -> assertThat(((Noted) e.event()).text()).isEqualTo("in b"));
            assertThat(b.store().globalPosition()).isEqualTo(1);
            assertThat(b.snapshots().find(id, "Note")).isEmpty();
            assertThat(b.checkpoints().find("projection")).isEmpty();
            assertThat(a.checkpoints().find("projection")).isPresent();
        }
        assertThat(tables(file)).contains("events", "snapshots", "a_events", "a_snapshots", "a_subscription_checkpoints",
                "a_dead_letters", "a_schema_version", "b_events", "b_schema_version").doesNotContain("eventsource_schema");
    }

    @Test
    void the_schema_script_with_a_prefix_creates_what_the_store_then_uses() throws Exception {
        String file = dir.resolve("script.db").toString();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String statement : SQLiteEventStore.schemaSql("es_").split(";\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
            c.commit();
        }
        List<String> created = tables(file);
        try (SQLiteEventStore store = SQLiteEventStore.builder(file).tablePrefix("es_").eventRegistry(registry()).build()) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("x")), ExpectedVersion.NO_STREAM);
        }
        assertThat(tables(file)).isEqualTo(created).contains("es_events", "es_schema_version");
    }

    @Test
    void a_malformed_prefix_is_refused_naming_the_rule() {
        for (String bad : List.of("Es_", "es-", "1es", "es_; DROP TABLE events", "x".repeat(42))) {
            assertThatThrownBy(() -> SQLiteEventStore.builder("x.db").tablePrefix(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a-z_][a-z0-9_]{0,40}");
        }
        assertThatThrownBy(() -> EventStoreBackends.open("sqlite:" + dir.resolve("y.db") + "?tablePrefix=Bad"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
    }
}
