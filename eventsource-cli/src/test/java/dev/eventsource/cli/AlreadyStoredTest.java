package dev.eventsource.cli;

import dev.eventsource.store.RecordedEvent;
import dev.eventsource.wire.EventDocument;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The event id a re-import looks a line up by; whether the line is the stored row's document is {@code EventDocumentIsDocumentOfTest}. */
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
}
