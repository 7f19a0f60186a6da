package dev.eventsource.store;

import dev.eventsource.EventSourceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStoresTest {

    @Test
    void memory_url_opens_an_initialized_in_memory_store() {
        try (EventStore store = EventStores.open("memory:")) {
            assertThat(store).isInstanceOf(InMemoryEventStore.class);
            assertThat(store.globalPosition()).isZero();
        }
    }

    @Test
    void an_unknown_scheme_names_the_supported_forms() {
        assertThatThrownBy(() -> EventStores.open("mongodb://localhost/events"))
                .isInstanceOf(EventSourceException.class)
                .hasMessageContaining("mongodb://localhost/events")
                .hasMessageContaining("memory:");
    }

    @Test
    void a_blank_url_is_refused() {
        assertThatThrownBy(() -> EventStores.open(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
