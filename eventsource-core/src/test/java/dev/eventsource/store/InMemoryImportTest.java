package dev.eventsource.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryImportTest {

    private static RecordedEvent row(UUID eventId, UUID stream, long version) {
        Instant at = Instant.parse("2025-01-31T09:15:00.000001Z");
        return new RecordedEvent(eventId, "Counted", 1, stream, "Counter", version, version, at, at, null, "{}", "{\"n\":1}");
    }

    @Test
    void refuses_a_batch_that_holds_one_event_id_at_two_places_and_writes_none_of_it() {
        UUID id = UUID.randomUUID();
        UUID stream = UUID.randomUUID();
        try (var store = new InMemoryEventStore()) {
            assertThatThrownBy(() -> store.importRecorded(List.of(row(id, stream, 1), row(id, stream, 2))))
                    .isInstanceOf(ImportConflictException.class);

            assertThat(store.globalPosition()).isZero();
        }
    }
}
