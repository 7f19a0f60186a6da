package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoreObserver;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.TransactionalProjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQLite backend opened from a URL: one object owning the store and its sibling stores. */
class SQLiteBackendTest {

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(Notes.NoteCreated.class);

    @Test
    void a_url_opens_an_initialized_backend_whose_parts_share_the_file() {
        String url = "sqlite:" + dir.resolve("events.db");
        try (EventStoreBackend backend = EventStoreBackends.open(url, registry)) {
            assertThat(backend).isInstanceOf(SQLiteBackend.class);
            assertThat(backend.transactionalCheckpoints().orElseThrow()).isSameAs(backend.checkpoints());
            assertThat(backend.storageCheck()).isPresent();
            backend.store().appendEvents(UUID.randomUUID(), "Note", List.of(new Notes.NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);

            assertThat(backend.log().globalPosition()).isEqualTo(1);
            assertThat(backend.storageCheck().orElseThrow().checkStorage(false)).isEmpty();
        }
    }

    @Test
    void closing_the_backend_closes_its_store() {
        SQLiteBackend backend = new SQLiteBackend(new SQLiteEventStore(dir.resolve("closed.db").toString(), registry));
        backend.store().initialize();

        backend.close();

        assertThatThrownBy(() -> backend.store().globalPosition()).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> backend.checkpoints().findAll()).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void a_read_only_backend_refuses_a_file_that_does_not_exist() {
        assertThatThrownBy(() -> EventStoreBackends.openReadOnly("sqlite:" + dir.resolve("missing.db"), registry))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("No SQLite database file");
    }

    @Test
    void a_transactional_projection_needs_its_checkpoint_store_given_as_transactional() {
        try (SQLiteBackend backend = new SQLiteBackend(new SQLiteEventStore(dir.resolve("typed.db").toString(), registry))) {
            CheckpointStore untyped = backend.checkpoints();
            TransactionalProjection counting = new TransactionalProjection() {
                @Override
                public void handle(StoredEvent event, Connection connection) {
                }

                @Override
                public void reset(Connection connection) {
                }
            };
            try (SubscriptionManager plain = SubscriptionManager.builder(backend.store()).checkpoints(untyped).build();
                 SubscriptionManager wired = backend.subscriptions().build()) {
                assertThatThrownBy(() -> plain.subscribe("counting", counting, SubscriptionOptions.DEFAULTS))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("given to the builder's checkpoints(...) as that type");

                assertThat(wired.subscribe("counting", counting, SubscriptionOptions.DEFAULTS).name()).isEqualTo("counting");
            }
        }
    }

    @Test
    void the_store_builder_takes_an_observer() {
        AtomicInteger appends = new AtomicInteger();
        StoreObserver counting = new StoreObserver() {
            @Override
            public Observation appending(UUID aggregateId, String aggregateType, int events) {
                appends.incrementAndGet();
                return Observation.NONE;
            }
        };
        try (SQLiteEventStore store = SQLiteEventStore.builder(dir.resolve("observed.db").toString()).eventRegistry(registry)
                .observer(counting).build()) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Notes.NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
        }

        assertThat(appends).hasValue(1);
    }
}
