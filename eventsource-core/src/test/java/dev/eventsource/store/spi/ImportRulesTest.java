package dev.eventsource.store.spi;

import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StreamId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportRulesTest {

    private static final UUID STREAM = UUID.randomUUID();
    private static final StreamId KEY = new StreamId("Counter", STREAM);

    private static RecordedEvent row(UUID eventId, long version, String payload) {
        Instant at = Instant.parse("2025-01-31T09:15:00.000001Z");
        return new RecordedEvent(eventId, "Counted", 1, STREAM, "Counter", version, 0, at, at, null, "{}", payload);
    }

    @Test
    void refuses_a_row_without_a_payload_and_names_it() {
        List<RecordedEvent> batch = List.of(row(UUID.randomUUID(), 1, "{}"), row(UUID.randomUUID(), 2, null));

        assertThatThrownBy(() -> ImportRules.requireValid(batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 of the import batch has no payloadJson");
    }

    @Test
    void writes_the_rows_that_follow_the_stream_and_skips_those_stored_at_the_same_place() {
        RecordedEvent stored = row(UUID.randomUUID(), 3, "{}");
        RecordedEvent next = row(UUID.randomUUID(), 4, "{}");

        List<RecordedEvent> toWrite = ImportRules.decide(List.of(stored, next),
                Map.of(stored.eventId(), stored), Map.of(KEY, 3L));

        assertThat(toWrite).containsExactly(next);
    }

    @Test
    void refuses_a_row_that_leaves_a_gap_in_its_stream() {
        RecordedEvent gap = row(UUID.randomUUID(), 3, "{}");

        assertThatThrownBy(() -> ImportRules.decide(List.of(gap), Map.of(), Map.of(KEY, 1L)))
                .isInstanceOf(ImportConflictException.class)
                .hasMessageContaining("next importable version is 2");
    }

    @Test
    void a_stored_row_with_the_same_json_in_other_whitespace_key_order_and_number_notation_is_already_there() {
        RecordedEvent stored = row(UUID.randomUUID(), 1, "{\"a\": 1.50, \"b\": [1, {\"c\": -0.0}]}");
        RecordedEvent same = row(stored.eventId(), 1, "{\"b\":[1,{\"c\":0}],\"a\":1.5}");

        assertThat(ImportRules.decide(List.of(same), Map.of(stored.eventId(), stored), Map.of(KEY, 1L))).isEmpty();
    }

    @Test
    void refuses_a_row_stored_at_its_place_with_another_payload_naming_the_field() {
        RecordedEvent stored = row(UUID.randomUUID(), 1, "{\"amount\": 10}");
        RecordedEvent tampered = row(stored.eventId(), 1, "{\"amount\": 1000}");

        assertThatThrownBy(() -> ImportRules.decide(List.of(tampered), Map.of(stored.eventId(), stored), Map.of(KEY, 1L)))
                .isInstanceOf(ImportConflictException.class)
                .hasMessageContaining("already stores that id there, but with a different payload");
    }
}
