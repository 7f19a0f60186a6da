package dev.eventsource.bus;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusDeadLetterTest {

    record Noted(String text) implements DomainEvent {
    }

    private static final StoredEvent EVENT = new StoredEvent(UUID.randomUUID(), "Noted", UUID.randomUUID(), "Note", 1, 1,
            Instant.EPOCH, Instant.EPOCH, EventMetadata.EMPTY, new Noted("x"));

    @Test
    void holds_either_an_event_or_an_undecodable_message_never_both_or_neither() {
        var raw = new BusDeadLetter.Undecodable("orders-0@3", "key", "not json".getBytes(StandardCharsets.UTF_8));

        assertThat(new BusDeadLetter("a", "g", EVENT, "boom", 1, Instant.EPOCH).undecodable()).isNull();
        assertThat(new BusDeadLetter("b", "g", null, "not JSON", 1, Instant.EPOCH, raw).event()).isNull();
        assertThatThrownBy(() -> new BusDeadLetter("c", "g", EVENT, "x", 1, Instant.EPOCH, raw))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> new BusDeadLetter("d", "g", null, "x", 1, Instant.EPOCH, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not neither");
    }

    @Test
    void an_undecodable_message_keeps_a_copy_of_its_bytes_and_compares_by_content() {
        byte[] bytes = {1, 2, 3};
        var raw = new BusDeadLetter.Undecodable("t-0@1", null, bytes);
        bytes[0] = 9;
        byte[] read = raw.value();
        read[1] = 9;

        assertThat(raw.value()).containsExactly(1, 2, 3);
        assertThat(raw).isEqualTo(new BusDeadLetter.Undecodable("t-0@1", null, new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new BusDeadLetter.Undecodable("t-0@1", null, new byte[] {1, 2, 3}));
    }
}
