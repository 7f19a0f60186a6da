package dev.eventsource.cli;

import dev.eventsource.store.RecordedEvent;
import dev.eventsource.wire.EventDocument;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which lines a re-import counts as already stored without parsing them, and which it hands to the importer. */
class AlreadyStoredTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");
    private final RecordedEvent stored = new RecordedEvent(UUID.randomUUID(), "ItemAdded", 1, UUID.randomUUID(), "Cart",
            3, 42, AT, AT, null, "{}", "{\"sku\":\"A-1\",\"qty\":2,\"price\":12.50}");
    private final String line = EventDocument.encode(stored);

    @Test
    void reads_the_event_id_at_the_start_of_an_export_line() {
        assertThat(AlreadyStored.eventId(line)).isEqualTo(stored.eventId());
    }

    @Test
    void finds_no_event_id_in_a_line_that_does_not_start_like_an_export_line() {
        assertThat(AlreadyStored.eventId(" " + line)).isNull();
        assertThat(AlreadyStored.eventId("{\"eventType\":\"x\"}")).isNull();
        assertThat(AlreadyStored.eventId("{\"eventId\":\"not-a-uuid-not-a-uuid-not-a-uuid-xxxx\"}")).isNull();
        assertThat(AlreadyStored.eventId("{\"eventId\":\"" + stored.eventId() + "x\"}")).isNull();
    }

    @Test
    void the_export_line_of_the_stored_row_is_the_same_document_whatever_its_position() {
        assertThat(AlreadyStored.sameDocument(line, stored)).isTrue();
        assertThat(AlreadyStored.sameDocument(line.replace("\"globalPosition\":42,", "\"globalPosition\":7,"), stored)).isTrue();
    }

    @Test
    void a_line_with_other_content_or_another_spelling_is_not_the_same_document() {
        assertThat(AlreadyStored.sameDocument(line.replace("\"qty\":2", "\"qty\":3"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.replace("\"version\":3", "\"version\":4"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.replace("ItemAdded", "ItemRemoved"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.replace(".123456Z", ".123457Z"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.replace("12.50", "12.5"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line + " ", stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.substring(0, line.length() - 1), stored)).isFalse();
    }

    @Test
    void a_position_that_is_not_plain_digits_is_left_to_the_parser() {
        assertThat(AlreadyStored.sameDocument(line.replace("\"globalPosition\":42,", "\"globalPosition\":042,"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.replace("\"globalPosition\":42,", "\"globalPosition\":-42,"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.replace("\"globalPosition\":42,", "\"globalPosition\":,"), stored)).isFalse();
        assertThat(AlreadyStored.sameDocument(line.replace("\"globalPosition\":42,", "\"globalPosition\":1234567890123456789,"),
                stored)).isFalse();
    }

    @Test
    void names_that_need_escaping_null_metadata_and_a_tenant_compare_like_the_export_writes_them() {
        RecordedEvent odd = new RecordedEvent(UUID.randomUUID(), "Item\"Added\\\u0001\t", 2, UUID.randomUUID(), "Cärt",
                1, 5, AT, AT, "tenant-a", null, "{\"a\":\"\\u00e9\"}");
        String oddLine = EventDocument.encode(odd);

        assertThat(AlreadyStored.sameDocument(oddLine, odd)).isTrue();
        assertThat(AlreadyStored.sameDocument(oddLine.replace("tenant-a", "tenant-b"), odd)).isFalse();
    }

    @Test
    void a_payload_stored_over_several_lines_compares_with_its_one_line_export() {
        RecordedEvent multiline = new RecordedEvent(UUID.randomUUID(), "ItemAdded", 1, UUID.randomUUID(), "Cart",
                1, 5, AT, AT, null, "{}", "{\n  \"a\": 1,\n  \"b\": [1, 2]\n}");
        String exported = EventDocument.encode(multiline);
        assertThat(exported).doesNotContain("\n");

        assertThat(AlreadyStored.sameDocument(exported, multiline)).isTrue();
        assertThat(AlreadyStored.sameDocument(exported.replace("\"a\":1", "\"a\":2"), multiline)).isFalse();
    }
}
