package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lifecycle: {@code initialize()} is idempotent, a store initializes itself on first use, every
 * operation after {@code close()} throws {@link StoreClosedException}, and closing twice is
 * harmless (see {@code docs/semantics.md}, "Lifecycle and threads").
 */
public abstract class LifecycleContract extends EventStoreFixture {

    @Test
    void initializing_twice_is_harmless_and_keeps_the_data() {
        UUID id = streamWith(2);

        store.initialize();

        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
        assertThat(readAll()).hasSize(2);
    }

    @Test
    void a_store_that_was_not_initialized_initializes_itself_on_first_use() {
        try (EventStore fresh = newStore(new EventRegistry())) {
            UUID id = UUID.randomUUID();

            fresh.appendEvents(id, TYPE, List.of(new TckEvent.Created("x")), ExpectedVersion.NO_STREAM);

            assertThat(fresh.getStreamVersion(id, TYPE)).isEqualTo(1);
        }
    }

    @Test
    void closing_twice_is_harmless() {
        store.close();

        store.close();

        assertThatThrownBy(() -> store.globalPosition()).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void append_after_close_throws_store_closed() {
        store.close();

        assertThatThrownBy(() -> store.append(UUID.randomUUID(), TYPE, List.of(NewEvent.of(new TckEvent.Created("x"))),
                ExpectedVersion.ANY)).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void append_events_after_close_throws_store_closed() {
        store.close();

        assertThatThrownBy(() -> store.appendEvents(UUID.randomUUID(), TYPE, List.of(new TckEvent.Created("x")),
                ExpectedVersion.ANY)).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void reading_a_stream_after_close_throws_store_closed() {
        UUID id = streamWith(1);
        store.close();

        assertThatThrownBy(() -> store.getEvents(id, TYPE)).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void reading_all_after_close_throws_store_closed() {
        streamWith(1);
        store.close();

        assertThatThrownBy(() -> {
            try (Stream<StoredEvent> events = store.readAll()) {
                events.count();
            }
        }).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void a_read_in_progress_throws_store_closed_when_the_store_is_closed_before_its_next_page() {
        streamWith(5);
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().pageSize(2).build())) {
            Iterator<StoredEvent> it = events.iterator();
            it.next();
            it.next();
            store.close();

            assertThatThrownBy(() -> {
                it.next();
                it.next();
            }).isInstanceOf(StoreClosedException.class);
        }
    }

    @Test
    void looking_up_a_stream_version_after_close_throws_store_closed() {
        store.close();

        assertThatThrownBy(() -> store.getStreamVersion(UUID.randomUUID(), TYPE)).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void looking_up_an_event_after_close_throws_store_closed() {
        store.close();

        assertThatThrownBy(() -> store.eventExists(UUID.randomUUID())).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void global_position_after_close_throws_store_closed() {
        store.close();

        assertThatThrownBy(() -> store.globalPosition()).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void initializing_after_close_throws_store_closed() {
        store.close();

        assertThatThrownBy(() -> store.initialize()).isInstanceOf(StoreClosedException.class);
    }
}
