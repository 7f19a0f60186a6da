package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Database names the driver would not read as a local file: every way in (constructor, builder,
 * URL) refuses them before any I/O, because the one check sits in the builder they all go through.
 */
class SQLiteDatabaseNameTest {

    @TempDir
    Path dir;

    /**
     * A port nothing listens on: a download attempt fails with a connection error (what today's
     * driver reports), where a listening socket would leave the attempt waiting for a reply.
     */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void event_stores_open_refuses_a_resource_pseudo_url_before_any_network_request() throws IOException {
        String url = "sqlite::resource:http://127.0.0.1:" + closedPort() + "/x.db";

        assertThatThrownBy(() -> EventStores.open(url, new EventRegistry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("':resource:http://127.0.0.1:")
                .hasMessageContaining("the only one a store accepts is \":memory:\"")
                .hasNoCause();
    }

    @Test
    void the_constructor_refuses_every_name_starting_with_a_colon_except_memory() {
        for (String name : new String[] {":resource:x.db", ":resource:http://example.invalid/x.db", ":memory", "::memory:", ":x"}) {
            assertThatThrownBy(() -> new SQLiteEventStore(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SQLite names starting with ':' are driver instructions");
        }
        new SQLiteEventStore(SQLiteEventStore.MEMORY).close();
    }

    @Test
    void the_constructor_refuses_a_store_url_and_says_to_pass_the_path_or_use_event_stores_open() {
        Path file = dir.resolve("x.db");

        assertThatThrownBy(() -> new SQLiteEventStore("jdbc:sqlite:" + file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Pass the path alone (\"" + file + "\")")
                .hasMessageContaining("EventStores.open(\"jdbc:sqlite:" + file + "\")");
        assertThatThrownBy(() -> SQLiteEventStore.builder("sqlite:" + file)).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("jdbc:sqlite:" + file)).doesNotExist();
        try (var files = listing()) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void the_url_parser_gives_the_database_path_and_its_parameters() {
        SQLiteEventStore.Builder builder = SQLiteEventStoreProvider.builder("jdbc:sqlite:" + dir.resolve("a.db") + "?busyTimeout=7");

        assertThat(builder.database()).isEqualTo(dir.resolve("a.db").toString());
        try (SQLiteEventStore store = builder.build()) {
            assertThat(store.busyTimeout().toMillis()).isEqualTo(7);
        }
    }

    private java.util.stream.Stream<Path> listing() {
        try {
            return Files.list(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
