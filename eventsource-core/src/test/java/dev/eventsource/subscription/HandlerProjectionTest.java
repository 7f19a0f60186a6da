package dev.eventsource.subscription;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.EventType;
import dev.eventsource.event.UnknownEventTypeException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handler-method projections over the in-memory store: dispatch, derived filters, refused signatures. */
class HandlerProjectionTest {

    @EventType("note.created")
    record NoteCreated(String title) implements DomainEvent {
    }

    record NoteRenamed(String title) implements DomainEvent {
    }

    record NoteArchived() implements DomainEvent {
    }

    static class Titles extends HandlerProjection {
        final Map<UUID, String> titles = new ConcurrentHashMap<>();
        final Map<UUID, Long> renamedAtVersion = new ConcurrentHashMap<>();

        @ProjectionHandler
        void on(NoteCreated e, StoredEvent stored) {
            titles.put(stored.aggregateId(), e.title());
        }

        @ProjectionHandler
        private void renamed(NoteRenamed e, StoredEvent stored) {
            titles.put(stored.aggregateId(), e.title());
            renamedAtVersion.put(stored.aggregateId(), stored.version());
        }

        @Override
        public void reset() {
            titles.clear();
        }
    }

    private final InMemoryEventStore store = new InMemoryEventStore(
            new EventRegistry().registerAll(NoteCreated.class, NoteRenamed.class, NoteArchived.class));
    private final SubscriptionManager manager = SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(20))
            .build();

    @AfterEach
    void close() {
        manager.close();
        store.close();
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(end);
            Thread.sleep(2);
        }
    }

    @Test
    void dispatches_each_event_to_the_handler_of_its_class_with_its_envelope() throws InterruptedException {
        UUID note = UUID.randomUUID();
        store.appendEvents(note, "Note", List.of(new NoteCreated("draft"), new NoteRenamed("final")),
                ExpectedVersion.NO_STREAM);
        Titles titles = new Titles();

        Subscription subscription = manager.subscribe("titles", titles, SubscriptionOptions.DEFAULTS);

        eventually(() -> subscription.health().eventsProcessed() == 2);
        assertThat(titles.titles).containsExactly(Map.entry(note, "final"));
        assertThat(titles.renamedAtVersion).containsExactly(Map.entry(note, 2L));
    }

    @Test
    void derives_the_type_names_it_reads_from_the_handler_parameters() {
        assertThat(new Titles().eventTypes()).containsExactlyInAnyOrder("note.created", "NoteRenamed");
    }

    @Test
    void never_loads_an_event_of_a_type_it_has_no_handler_for() throws InterruptedException {
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        store.importRecorded(List.of(new RecordedEvent(UUID.randomUUID(), "NotRegisteredHere", 1, UUID.randomUUID(),
                "Legacy", 1, 0, at, at, null, "{}", "{}")));
        UUID note = UUID.randomUUID();
        long last = store.appendEvents(note, "Note", List.of(new NoteCreated("a"), new NoteArchived(), new NoteRenamed("b")),
                ExpectedVersion.NO_STREAM).globalPosition();
        Titles titles = new Titles();

        Subscription subscription = manager.subscribe("titles", titles, SubscriptionOptions.DEFAULTS);

        eventually(() -> subscription.health().position() == last && subscription.state() == SubscriptionState.LIVE);
        // Loading the imported row would fail: only a query filtered on the handled types skips it.
        assertThatThrownBy(() -> {
            try (var all = store.readAll()) {
                all.forEach(e -> { });
            }
        }).isInstanceOf(UnknownEventTypeException.class);
        assertThat(subscription.health().eventsProcessed()).isEqualTo(2);
        assertThat(subscription.health().lastError()).isNull();
        assertThat(titles.titles).containsExactly(Map.entry(note, "b"));
    }

    @Test
    void a_subclass_handler_replaces_the_inherited_one_for_the_same_event_class() throws InterruptedException {
        class Shouting extends Titles {
            @ProjectionHandler
            void on(NoteCreated e, StoredEvent stored) {
                titles.put(stored.aggregateId(), e.title().toUpperCase());
            }
        }
        UUID note = UUID.randomUUID();
        store.appendEvents(note, "Note", List.of(new NoteCreated("quiet")), ExpectedVersion.NO_STREAM);
        Shouting shouting = new Shouting();

        Subscription subscription = manager.subscribe("shouting", shouting, SubscriptionOptions.DEFAULTS);

        eventually(() -> subscription.health().eventsProcessed() == 1);
        assertThat(shouting.titles).containsExactly(Map.entry(note, "QUIET"));
    }

    @Test
    void refuses_a_handler_whose_signature_is_not_an_event_and_an_optional_envelope() {
        class ReturnsAValue extends HandlerProjection {
            @ProjectionHandler
            String on(NoteCreated e) {
                return e.title();
            }

            @Override
            public void reset() {
            }
        }
        class TakesAString extends HandlerProjection {
            @ProjectionHandler
            void on(String title) {
            }

            @Override
            public void reset() {
            }
        }
        class EnvelopeFirst extends HandlerProjection {
            @ProjectionHandler
            void on(StoredEvent stored, NoteCreated e) {
            }

            @Override
            public void reset() {
            }
        }

        for (var bad : List.<Runnable>of(ReturnsAValue::new, TakesAString::new, EnvelopeFirst::new)) {
            assertThatThrownBy(bad::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be a void instance method taking (SomeEvent e) or (SomeEvent e, StoredEvent stored)");
        }
    }

    @Test
    void refuses_a_handler_for_an_event_interface_because_the_store_filters_on_concrete_type_names() {
        class Everything extends HandlerProjection {
            @ProjectionHandler
            void on(DomainEvent e) {
            }

            @Override
            public void reset() {
            }
        }

        assertThatThrownBy(Everything::new).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DomainEvent").hasMessageContaining("not a concrete event class");
    }

    @Test
    void refuses_two_handlers_for_the_same_event_class() {
        class Twice extends HandlerProjection {
            @ProjectionHandler
            void on(NoteCreated e) {
            }

            @ProjectionHandler
            void again(NoteCreated e, StoredEvent stored) {
            }

            @Override
            public void reset() {
            }
        }

        assertThatThrownBy(Twice::new).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two @ProjectionHandler methods for").hasMessageContaining("NoteCreated");
    }

    @Test
    void refuses_a_handler_projection_without_handlers() {
        class Empty extends HandlerProjection {
            @Override
            public void reset() {
            }
        }

        assertThatThrownBy(Empty::new).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no @ProjectionHandler method");
    }
}
