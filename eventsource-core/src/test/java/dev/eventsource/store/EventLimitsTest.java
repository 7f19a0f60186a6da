package dev.eventsource.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLimitsTest {

    @Test
    void accepts_a_name_exactly_at_the_length_limit_and_refuses_one_character_more() {
        String longest = "n".repeat(EventLimits.MAX_NAME_LENGTH);

        assertThat(EventLimits.requireName("aggregateType", longest)).isEqualTo(longest);
        assertThatThrownBy(() -> EventLimits.requireName("aggregateType", longest + "n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregateType is 256 characters long");
    }

    @Test
    void refuses_a_blank_name() {
        assertThatThrownBy(() -> EventLimits.requireName("tenantId", " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenantId must be non-blank");
    }

    @Test
    void accepts_surrogate_pairs_anywhere_in_a_name() {
        assertThat(EventLimits.requireName("eventType", "\uD83C\uDF89Party\uD83D\uDC69")).isNotNull();
    }

    @Test
    void refuses_a_high_surrogate_as_the_last_character_of_a_name() {
        assertThatThrownBy(() -> EventLimits.requireName("eventType", "Party\uD83C"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(\\uD83C) at index 5");
    }

    @Test
    void refuses_a_json_escaped_lone_surrogate_inside_a_payload() {
        assertThatThrownBy(() -> EventLimits.requireJsonObject("payload", "{\"a\":[\"ok\",\"x\\uDC00\"]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload string at '/a/1'")
                .hasMessageContaining("unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_json_escaped_nul_in_a_field_name() {
        assertThatThrownBy(() -> EventLimits.requireJsonObject("metadata", "{\"extras\":{\"k\\u0000\":\"v\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata field name")
                .hasMessageContaining("U+0000");
    }

    @Test
    void refuses_content_after_the_object() {
        assertThatThrownBy(() -> EventLimits.requireJsonObject("payload", "{\"a\":1} {\"b\":2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one JSON object");
    }

    @Test
    void refuses_a_field_name_longer_than_the_field_name_limit() {
        String name = "k".repeat(EventLimits.MAX_JSON_NAME_LENGTH + 1);

        assertThatThrownBy(() -> EventLimits.requireJsonObject("payload", "{\"" + name + "\":1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds a JSON limit");
    }

    @Test
    void measures_numbers_in_the_plain_notation_postgresql_stores() {
        int max = EventLimits.MAX_JSON_NUMBER_LENGTH;

        assertThat(EventLimits.requireJsonObject("payload", "{\"n\":1E+" + (max - 1) + "}")).isNotNull();
        assertThatThrownBy(() -> EventLimits.requireJsonObject("payload", "{\"n\":-1E+" + (max - 1) + "}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain notation");
        assertThatThrownBy(() -> EventLimits.requireJsonObject("payload", "{\"n\":1E-" + (max - 1) + "}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain notation");
        assertThatThrownBy(() -> EventLimits.requireJsonObject("payload", "{\"n\":1" + "0".repeat(max) + "}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds a JSON limit");
    }

    @Test
    void accepts_times_from_the_first_to_the_last_microsecond_of_the_range() {
        assertThat(EventLimits.requireTime("occurredAt", EventLimits.MIN_TIME)).isEqualTo(EventLimits.MIN_TIME);
        assertThat(EventLimits.requireTime("occurredAt", EventLimits.MAX_TIME)).isEqualTo(EventLimits.MAX_TIME);
        assertThat(EventLimits.requireTime("occurredAt", EventLimits.MAX_TIME.plusNanos(999))).isNotNull();
        assertThatThrownBy(() -> EventLimits.requireTime("occurredAt", EventLimits.MIN_TIME.minusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the storable range");
        assertThatThrownBy(() -> EventLimits.requireTime("recordedAt", Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recordedAt");
    }
}
