package dev.eventsource.postgresql;

import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.EventSourceException;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOnlyStoreException;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A store built {@code readOnly(true)} reads a store and creates or writes nothing. */
class PostgreSQLReadOnlyTest {

    record Noted(String text) implements DomainEvent {
    }

    private final EventRegistry registry = new EventRegistry().register(Noted.class);

    private PostgreSQLEventStore readOnly(String schema) {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema).eventRegistry(registry)
                .readOnly(true).build();
    }

    @Test
    void refuses_a_schema_without_the_stores_tables_and_creates_none() throws Exception {
        String schema = PostgresTestServer.freshSchema();

        try (PostgreSQLEventStore store = readOnly(schema)) {
            assertThatThrownBy(store::initialize).isInstanceOf(StoreNotInitializedException.class)
                    .hasMessageContaining("Schema " + schema + " holds no event store tables")
                    .hasMessageContaining("not an eventsource store");
        }
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void reads_a_store_and_refuses_appends_and_imports_with_read_only_store_exception() {
        String schema = PostgresTestServer.freshSchema();
        UUID id = UUID.randomUUID();
        try (PostgreSQLEventStore writer = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(registry).build()) {
            writer.appendEvents(id, "Note", List.of(new Noted("first")), ExpectedVersion.NO_STREAM);
        }

        try (PostgreSQLEventStore store = readOnly(schema)) {
            store.initialize();
            assertThat(store.getStreamVersion(id, "Note")).isEqualTo(1);
            assertThat(store.isReadOnly()).isTrue();
            assertThatThrownBy(() -> store.appendEvents(id, "Note", List.of(new Noted("more")), ExpectedVersion.exactly(1)))
                    .isInstanceOf(ReadOnlyStoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> store.importRecorded(List.of())).isInstanceOf(ReadOnlyStoreException.class);
            assertThat(store.getStreamVersion(id, "Note")).isEqualTo(1);
        }
    }

    @Test
    void event_stores_open_read_only_opens_a_postgresql_url_read_only() {
        String schema = PostgresTestServer.freshSchema();
        String url = PostgresTestServer.url() + (PostgresTestServer.url().contains("?") ? "&" : "?") + "schema=" + schema;
        EventStores.open(url, registry).close();

        try (EventStore store = EventStores.openReadOnly(url, registry)) {
            assertThat(store).isInstanceOfSatisfying(PostgreSQLEventStore.class, s -> assertThat(s.isReadOnly()).isTrue());
        }
    }
}
