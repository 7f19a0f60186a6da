package dev.eventsource.cli;

import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonTest {

    private static final RecordedEvent ROW = new RecordedEvent(UUID.randomUUID(), "ItemAdded", 3, UUID.randomUUID(), "Cart",
            7, 42, Instant.parse("2025-01-31T09:15:00.100000Z"), Instant.parse("2025-01-31T09:15:01.000001Z"), "acme",
            "{\"actorId\":\"" + UUID.randomUUID() + "\",\"extras\":{\"source\":\"web\"}}",
            "{\"name\":\"book\",\"price\":12.50,\"tags\":[\"a\",null],\"big\":123456789012345678901234567890,\"ratio\":1.0E-7}");

    @Test
    void a_line_parses_back_to_the_same_row() {
        assertThat(EventJson.fromLine(EventJson.toLine(ROW))).isEqualTo(ROW);
    }

    @Test
    void writes_every_field_in_the_documented_order_with_six_fraction_digits() {
        String line = EventJson.toLine(ROW);

        assertThat(line).startsWith("{\"eventId\":\"" + ROW.eventId() + "\",\"eventType\":\"ItemAdded\",\"schemaVersion\":3,"
                + "\"aggregateType\":\"Cart\",\"aggregateId\":\"" + ROW.aggregateId() + "\",\"version\":7,\"globalPosition\":42,"
                + "\"occurredAt\":\"2025-01-31T09:15:00.100000Z\",\"recordedAt\":\"2025-01-31T09:15:01.000001Z\",\"tenantId\":\"acme\","
                + "\"metadata\":{\"actorId\":");
        assertThat(line).endsWith(",\"payload\":" + ROW.payloadJson() + "}");
    }

    @Test
    void names_a_missing_field() {
        String line = EventJson.toLine(ROW).replace("\"schemaVersion\":3,", "");

        assertThatThrownBy(() -> EventJson.fromLine(line)).hasMessage("missing field 'schemaVersion'");
    }

    @Test
    void names_an_unknown_field() {
        String line = EventJson.toLine(ROW).replace("\"tenantId\"", "\"tenant\"");

        assertThatThrownBy(() -> EventJson.fromLine(line)).hasMessageStartingWith("unknown field 'tenant'");
    }

    @Test
    void names_a_field_of_the_wrong_kind() {
        String line = EventJson.toLine(ROW).replace("\"version\":7", "\"version\":\"7\"");

        assertThatThrownBy(() -> EventJson.fromLine(line)).hasMessageStartingWith("field 'version' must be a whole number");
    }

    @Test
    void refuses_a_payload_that_is_not_an_object() {
        String line = EventJson.toLine(ROW).replaceAll(",\"payload\":.*}$", ",\"payload\":\"text\"}");

        assertThatThrownBy(() -> EventJson.fromLine(line)).hasMessageStartingWith("field 'payload' must be a JSON object");
    }

    @Test
    void refuses_text_that_is_not_json() {
        assertThatThrownBy(() -> EventJson.fromLine("{\"eventId\": ")).hasMessageStartingWith("not valid JSON");
    }
}
