package dev.eventsource.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamIdTest {

    private static final UUID ID = UUID.fromString("0b6c3f5e-2c1a-4b7e-9d3f-1a2b3c4d5e6f");

    @Test
    void two_ids_of_one_type_and_aggregate_are_equal() {
        assertThat(StreamId.of("Note", ID)).isEqualTo(new StreamId("Note", ID)).hasSameHashCodeAs(new StreamId("Note", ID));
    }

    @Test
    void another_type_or_another_aggregate_is_another_stream() {
        assertThat(StreamId.of("Note", ID)).isNotEqualTo(StreamId.of("Order", ID));
        assertThat(StreamId.of("Note", ID)).isNotEqualTo(StreamId.of("note", ID));
        assertThat(StreamId.of("Note", ID)).isNotEqualTo(StreamId.of("Note", UUID.randomUUID()));
    }

    @Test
    void prints_as_type_slash_id() {
        assertThat(StreamId.of("Note", ID)).hasToString("Note/0b6c3f5e-2c1a-4b7e-9d3f-1a2b3c4d5e6f");
    }

    @Test
    void refuses_a_null_or_blank_type_suggesting_swapped_arguments() {
        for (String type : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> StreamId.of(type, ID)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("aggregateType must be non-blank").hasMessageContaining("swap");
        }
    }

    @Test
    void refuses_a_type_no_store_can_hold() {
        assertThatThrownBy(() -> StreamId.of("No\u0000te", ID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateType");
        assertThatThrownBy(() -> StreamId.of("Note\uD800", ID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateType");
    }

    @Test
    void refuses_a_null_id() {
        assertThatThrownBy(() -> StreamId.of("Note", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateId must not be null");
    }

    @Test
    void accepts_a_type_longer_than_an_append_accepts_so_old_streams_stay_readable() {
        String longType = "T".repeat(EventLimits.MAX_NAME_LENGTH + 1);

        assertThat(StreamId.of(longType, ID).aggregateType()).isEqualTo(longType);
    }

    @Test
    void an_in_memory_store_reads_and_writes_through_stream_ids() {
        try (InMemoryEventStore store = new InMemoryEventStore(new dev.eventsource.event.EventRegistry())) {
            StreamId stream = StreamId.of("Note", ID);
            store.append(stream, List.of(), ExpectedVersion.NO_STREAM);

            assertThat(store.getStreamVersion(stream)).isZero();
            assertThat(store.getEvents(stream).streamId()).isEqualTo(stream);
        }
    }
}
