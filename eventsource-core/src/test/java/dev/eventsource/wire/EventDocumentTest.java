package dev.eventsource.wire;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventDocumentTest {

    /** The fast time parser agrees with Instant.parse on every form it takes, and leaves every other form to it. */
    @Test
    void the_fast_time_parser_agrees_with_instant_parse_or_leaves_the_text_to_it() {
        java.util.Random random = new java.util.Random(16);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000_000));
            String iso = instant.toString();
            assertThat(EventDocument.parseCanonical(iso)).as(iso).isEqualTo(Instant.parse(iso));
            int digits = 1 + random.nextInt(9);
            String cut = iso.substring(0, 19) + "." + String.format("%09d", instant.getNano()).substring(0, digits) + "Z";
            assertThat(EventDocument.parseCanonical(cut)).as(cut).isEqualTo(Instant.parse(cut));
        }
        for (String other : new String[] {"2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-01T24:00:00Z",
                "2016-12-31T23:59:60Z", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00.1234567890Z", "+12025-01-01T00:00:00Z",
                "2025-01-01T00:00:00+01:00", "2025-01-01 00:00:00Z", "2025-01-0xT00:00:00Z", "2025-01-01T00:00:00z", ""}) {
            assertThat(EventDocument.parseCanonical(other)).as(other).isNull();
        }
    }


    private static final RecordedEvent ROW = new RecordedEvent(UUID.randomUUID(), "ItemAdded", 3, UUID.randomUUID(), "Cart",
            7, 42, Instant.parse("2025-01-31T09:15:00.100000Z"), Instant.parse("2025-01-31T09:15:01.000001Z"), "acme",
            "{\"actorId\":\"" + UUID.randomUUID() + "\",\"extras\":{\"source\":\"web\"}}",
            "{\"name\":\"book\",\"price\":12.50,\"tags\":[\"a\",null],\"big\":123456789012345678901234567890,\"ratio\":1.0E-7}");

    @Test
    void a_line_parses_back_to_the_same_row() {
        assertThat(EventDocument.decode(EventDocument.encode(ROW))).isEqualTo(ROW);
    }

    @Test
    void writes_every_field_in_the_documented_order_with_six_fraction_digits() {
        String line = EventDocument.encode(ROW);

        assertThat(line).startsWith("{\"eventId\":\"" + ROW.eventId() + "\",\"eventType\":\"ItemAdded\",\"schemaVersion\":3,"
                + "\"aggregateType\":\"Cart\",\"aggregateId\":\"" + ROW.aggregateId() + "\",\"version\":7,\"globalPosition\":42,"
                + "\"occurredAt\":\"2025-01-31T09:15:00.100000Z\",\"recordedAt\":\"2025-01-31T09:15:01.000001Z\",\"tenantId\":\"acme\","
                + "\"metadata\":{\"actorId\":");
        assertThat(line).endsWith(",\"payload\":" + ROW.payloadJson() + "}");
    }

    @Test
    void names_a_missing_field() {
        String line = EventDocument.encode(ROW).replace("\"schemaVersion\":3,", "");

        assertThatThrownBy(() -> EventDocument.decode(line)).hasMessage("missing field 'schemaVersion'");
    }

    @Test
    void names_an_unknown_field() {
        String line = EventDocument.encode(ROW).replace("\"tenantId\"", "\"tenant\"");

        assertThatThrownBy(() -> EventDocument.decode(line)).hasMessageStartingWith("unknown field 'tenant'");
    }

    @Test
    void names_a_field_of_the_wrong_kind() {
        String line = EventDocument.encode(ROW).replace("\"version\":7", "\"version\":\"7\"");

        assertThatThrownBy(() -> EventDocument.decode(line)).hasMessageStartingWith("field 'version' must be a whole number");
    }

    @Test
    void refuses_a_payload_that_is_not_an_object() {
        String line = EventDocument.encode(ROW).replaceAll(",\"payload\":.*}$", ",\"payload\":\"text\"}");

        assertThatThrownBy(() -> EventDocument.decode(line)).hasMessageStartingWith("field 'payload' must be a JSON object");
    }

    @Test
    void refuses_text_that_is_not_json() {
        assertThatThrownBy(() -> EventDocument.decode("{\"eventId\": ")).hasMessageStartingWith("not valid JSON");
    }

    record Priced(BigDecimal amount, String sku) implements DomainEvent {
    }

    @Test
    void a_stored_event_goes_through_the_mapper_to_bytes_and_back_unchanged() {
        EventRegistry registry = new EventRegistry();
        registry.register(Priced.class);
        EventMapper mapper = new EventMapper(registry);
        Instant now = Instant.parse("2026-01-02T03:04:05.123456Z");
        StoredEvent event = new StoredEvent(UUID.randomUUID(), EventRegistry.typeName(Priced.class), UUID.randomUUID(), "Cart",
                3, 99, now, now, new EventMetadata("acme", null, UUID.randomUUID(), null, Map.of("traceparent", "00-x")),
                new Priced(new BigDecimal("12.50"), "book"));

        byte[] bytes = EventDocument.encodeBytes(event, mapper);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"amount\":12.50").contains("\"tenantId\":\"acme\"");
        assertThat(mapper.toStoredEvent(EventDocument.decode(bytes))).isEqualTo(event);
    }

    @Test
    void refuses_bytes_that_are_not_utf8_saying_so() {
        assertThatThrownBy(() -> EventDocument.decode(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not UTF-8 text");
    }

    @Test
    void refuses_to_encode_a_row_whose_payload_is_not_a_json_object_naming_the_event() {
        RecordedEvent damaged = new RecordedEvent(ROW.eventId(), ROW.eventType(), 1, ROW.aggregateId(), ROW.aggregateType(),
                1, 1, ROW.occurredAt(), ROW.recordedAt(), null, "{}", "[1,2]");

        assertThatThrownBy(() -> EventDocument.encode(damaged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload of event " + ROW.eventId()).hasMessageContaining("not a JSON object");
    }

    @Test
    void a_lenient_tree_shows_a_damaged_payload_as_a_string() {
        RecordedEvent damaged = new RecordedEvent(ROW.eventId(), ROW.eventType(), 1, ROW.aggregateId(), ROW.aggregateType(),
                1, 1, ROW.occurredAt(), ROW.recordedAt(), null, "{}", "not json");

        assertThat(EventDocument.toTree(damaged, true).get("payload").asText()).isEqualTo("not json");
    }
}
