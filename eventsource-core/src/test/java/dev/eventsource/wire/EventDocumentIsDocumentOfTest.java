package dev.eventsource.wire;

import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which lines are, character for character, a stored row's document (a re-import skips those without parsing them). */
class EventDocumentIsDocumentOfTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");
    private final RecordedEvent stored = new RecordedEvent(UUID.randomUUID(), "ItemAdded", 1, UUID.randomUUID(), "Cart",
            3, 42, AT, AT, null, "{}", "{\"sku\":\"A-1\",\"qty\":2,\"price\":12.50}");
    private final String line = EventDocument.encode(stored);

    @Test
    void the_export_line_of_the_stored_row_is_the_same_document_whatever_its_position() {
        assertThat(EventDocument.isDocumentOf(line, stored)).isTrue();
        assertThat(EventDocument.isDocumentOf(line.replace("\"globalPosition\":42,", "\"globalPosition\":7,"), stored)).isTrue();
    }

    @Test
    void a_line_with_other_content_or_another_spelling_is_not_the_same_document() {
        assertThat(EventDocument.isDocumentOf(line.replace("\"qty\":2", "\"qty\":3"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.replace("\"version\":3", "\"version\":4"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.replace("ItemAdded", "ItemRemoved"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.replace(".123456Z", ".123457Z"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.replace("12.50", "12.5"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line + " ", stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.substring(0, line.length() - 1), stored)).isFalse();
    }

    @Test
    void a_position_that_is_not_plain_digits_is_left_to_the_parser() {
        assertThat(EventDocument.isDocumentOf(line.replace("\"globalPosition\":42,", "\"globalPosition\":042,"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.replace("\"globalPosition\":42,", "\"globalPosition\":-42,"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.replace("\"globalPosition\":42,", "\"globalPosition\":,"), stored)).isFalse();
        assertThat(EventDocument.isDocumentOf(line.replace("\"globalPosition\":42,", "\"globalPosition\":1234567890123456789,"),
                stored)).isFalse();
    }

    @Test
    void names_that_need_escaping_null_metadata_and_a_tenant_compare_like_the_export_writes_them() {
        RecordedEvent odd = new RecordedEvent(UUID.randomUUID(), "Item\"Added\\\u0001\t", 2, UUID.randomUUID(), "Cärt",
                1, 5, AT, AT, "tenant-a", null, "{\"a\":\"\\u00e9\"}");
        String oddLine = EventDocument.encode(odd);

        assertThat(EventDocument.isDocumentOf(oddLine, odd)).isTrue();
        assertThat(EventDocument.isDocumentOf(oddLine.replace("tenant-a", "tenant-b"), odd)).isFalse();
    }

    @Test
    void a_payload_stored_over_several_lines_compares_with_its_one_line_export() {
        RecordedEvent multiline = new RecordedEvent(UUID.randomUUID(), "ItemAdded", 1, UUID.randomUUID(), "Cart",
                1, 5, AT, AT, null, "{}", "{\n  \"a\": 1,\n  \"b\": [1, 2]\n}");
        String exported = EventDocument.encode(multiline);
        assertThat(exported).doesNotContain("\n");

        assertThat(EventDocument.isDocumentOf(exported, multiline)).isTrue();
        assertThat(EventDocument.isDocumentOf(exported.replace("\"a\":1", "\"a\":2"), multiline)).isFalse();
    }

    @Test
    void null_arguments_are_refused() {
        assertThatThrownBy(() -> EventDocument.isDocumentOf(null, stored)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("line");
        assertThatThrownBy(() -> EventDocument.isDocumentOf(line, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("stored");
    }
}
