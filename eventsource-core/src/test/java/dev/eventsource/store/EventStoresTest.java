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
                .isInstanceOf(StoreUnavailableException.class)
                .satisfies(e -> assertThat(((StoreUnavailableException) e).reason())
                        .isEqualTo(StoreUnavailableException.Reason.NO_BACKEND))
                .hasMessageContaining("mongodb://localhost/events")
                .hasMessageContaining("memory:");
    }

    @Test
    void a_blank_url_is_refused() {
        assertThatThrownBy(() -> EventStores.open(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redact_hides_the_password_of_a_user_info_part() {
        assertThat(EventStores.redact("postgresql://app:s3cr%40t@db.example:5432/events?schema=es"))
                .isEqualTo("postgresql://app:***@db.example:5432/events?schema=es");
    }

    @Test
    void redact_hides_the_values_of_secret_query_parameters_and_keeps_the_others() {
        assertThat(EventStores.redact("jdbc:postgresql://db:5432/events?user=app&password=s3cret&sslpassword=k&ssl=true&token=t"))
                .isEqualTo("jdbc:postgresql://db:5432/events?user=app&password=***&sslpassword=***&ssl=true&token=***");
    }

    @Test
    void redact_leaves_a_url_without_secrets_as_it_is() {
        assertThat(EventStores.redact("sqlite:./events.db?busyTimeout=100")).isEqualTo("sqlite:./events.db?busyTimeout=100");
        assertThat(EventStores.redact("postgresql://app@db/events")).isEqualTo("postgresql://app@db/events");
        assertThat(EventStores.redact("memory:")).isEqualTo("memory:");
    }

    @Test
    void an_unknown_scheme_is_reported_without_its_password() {
        assertThatThrownBy(() -> EventStores.open("mongodb://app:s3cret@localhost/events?password=other"))
                .isInstanceOf(EventSourceException.class)
                .hasMessageContaining("mongodb://app:***@localhost/events?password=***")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("other"));
    }
}
