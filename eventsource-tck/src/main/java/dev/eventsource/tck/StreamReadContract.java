package dev.eventsource.tck;

import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stream-read role: streams keyed by (aggregateType, aggregateId), version order, exclusive
 * {@code afterVersion}, and {@link EventStream#version()} as the stream's current version
 * (see {@code docs/semantics.md}, "Streams and versions").
 */
public abstract class StreamReadContract extends EventStoreFixture {

    @Test
    void reads_the_events_of_a_stream_in_version_order() {
        UUID id = UUID.randomUUID();
        append(id, new TckEvent.Created("a"));
        append(id, new TckEvent.Renamed("b", 2), new TckEvent.Renamed("c", 3));

        EventStream stream = store.getEvents(id, TYPE);

        assertThat(stream.events()).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(payloads(stream.events())).containsExactly(
                new TckEvent.Created("a"), new TckEvent.Renamed("b", 2), new TckEvent.Renamed("c", 3));
    }

    @Test
    void reading_an_absent_stream_returns_an_empty_stream_at_version_zero() {
        UUID id = UUID.randomUUID();

        EventStream stream = store.getEvents(id, TYPE);

        assertThat(stream.events()).isEmpty();
        assertThat(stream.version()).isZero();
    }

    @Test
    void the_stream_names_the_aggregate_it_was_read_for() {
        UUID id = streamWith(1);

        EventStream stream = store.getEvents(id, TYPE);

        assertThat(stream.aggregateId()).isEqualTo(id);
        assertThat(stream.aggregateType()).isEqualTo(TYPE);
    }

    @Test
    void a_stream_id_reads_exactly_what_its_type_and_id_read() {
        UUID id = streamWith(3);
        store.appendEvents(id, "Other", List.of(new TckEvent.Created("other")), ExpectedVersion.NO_STREAM);
        StreamId stream = StreamId.of(TYPE, id);

        assertThat(store.getEvents(stream)).isEqualTo(store.getEvents(id, TYPE));
        assertThat(store.getEvents(stream, 1)).isEqualTo(store.getEvents(id, TYPE, 1));
        assertThat(store.getEvents(stream, 3)).isEqualTo(store.getEvents(id, TYPE, 3));
        assertThat(store.getStreamVersion(stream)).isEqualTo(store.getStreamVersion(id, TYPE)).isEqualTo(3);
        assertThat(store.getEvents(StreamId.of("Other", id)).events()).extracting(StoredEvent::version).containsExactly(1L);
    }

    @Test
    void a_stream_id_of_an_absent_stream_reads_an_empty_stream_at_version_zero() {
        StreamId stream = StreamId.of(TYPE, UUID.randomUUID());

        assertThat(store.getEvents(stream)).isEqualTo(store.getEvents(stream.aggregateId(), TYPE));
        assertThat(store.getEvents(stream).events()).isEmpty();
        assertThat(store.getStreamVersion(stream)).isZero();
    }

    @Test
    void a_stream_and_its_events_name_their_stream_id() {
        UUID id = streamWith(2);

        EventStream stream = store.getEvents(StreamId.of(TYPE, id));

        assertThat(stream.streamId()).isEqualTo(StreamId.of(TYPE, id));
        assertThat(stream.events()).extracting(StoredEvent::streamId).containsOnly(StreamId.of(TYPE, id));
    }

    @Test
    void a_null_stream_id_is_refused_on_read() {
        assertThatThrownBy(() -> store.getEvents((StreamId) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StreamId.of");
        assertThatThrownBy(() -> store.getEvents((StreamId) null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.getStreamVersion((StreamId) null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void one_id_under_two_aggregate_types_is_two_streams() {
        UUID id = UUID.randomUUID();
        store.appendEvents(id, "Order", List.of(new TckEvent.Created("order")), ExpectedVersion.NO_STREAM);
        store.appendEvents(id, "Invoice", List.of(new TckEvent.Created("invoice"), new TckEvent.Renamed("x", 2)),
                ExpectedVersion.NO_STREAM);

        EventStream orders = store.getEvents(id, "Order");
        EventStream invoices = store.getEvents(id, "Invoice");

        assertThat(payloads(orders.events())).containsExactly(new TckEvent.Created("order"));
        assertThat(orders.version()).isEqualTo(1);
        assertThat(payloads(invoices.events())).containsExactly(new TckEvent.Created("invoice"), new TckEvent.Renamed("x", 2));
        assertThat(invoices.version()).isEqualTo(2);
    }

    @Test
    void reading_a_stream_under_the_wrong_type_returns_an_empty_stream_at_version_zero() {
        UUID id = streamWith(2);
        assertThat(store.getEvents(id, TYPE).version()).isEqualTo(2);

        EventStream stream = store.getEvents(id, "SomethingElse");

        assertThat(stream.events()).isEmpty();
        assertThat(stream.version()).isZero();
    }

    @Test
    void interleaved_appends_to_two_streams_keep_each_streams_versions_contiguous() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        for (int i = 1; i <= 3; i++) {
            append(a, new TckEvent.Renamed("a", i));
            append(b, new TckEvent.Renamed("b", i));
        }

        assertThat(store.getEvents(a, TYPE).events()).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(store.getEvents(b, TYPE).events()).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(payloads(store.getEvents(b, TYPE).events())).allMatch(e -> ((TckEvent.Renamed) e).name().equals("b"));
    }

    @Test
    void reading_after_a_version_returns_only_the_later_events() {
        UUID id = streamWith(5);

        EventStream stream = store.getEvents(id, TYPE, 2);

        assertThat(stream.events()).extracting(StoredEvent::version).containsExactly(3L, 4L, 5L);
    }

    @Test
    void reading_after_version_zero_returns_the_whole_stream() {
        UUID id = streamWith(3);

        EventStream stream = store.getEvents(id, TYPE, 0);

        assertThat(stream.events()).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
    }

    @Test
    void the_stream_version_is_the_current_version_whatever_version_the_read_starts_after() {
        UUID id = streamWith(5);

        EventStream stream = store.getEvents(id, TYPE, 3);

        assertThat(stream.version()).isEqualTo(5);
    }

    @Test
    void reading_after_the_current_version_returns_no_events_and_the_current_version() {
        UUID id = streamWith(3);

        EventStream stream = store.getEvents(id, TYPE, 3);

        assertThat(stream.events()).isEmpty();
        assertThat(stream.version()).isEqualTo(3);
    }

    @Test
    void reading_after_a_version_beyond_the_stream_returns_no_events_and_the_current_version() {
        UUID id = streamWith(2);

        EventStream stream = store.getEvents(id, TYPE, 10);

        assertThat(stream.events()).isEmpty();
        assertThat(stream.version()).isEqualTo(2);
    }

    @Test
    void refuses_a_negative_after_version() {
        UUID id = streamWith(1);

        assertThatThrownBy(() -> store.getEvents(id, TYPE, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void refuses_a_blank_aggregate_type() {
        assertThatThrownBy(() -> store.getEvents(UUID.randomUUID(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateType");
    }

    @Test
    void a_stored_event_carries_its_envelope() {
        UUID id = UUID.randomUUID();
        NewEvent event = NewEvent.of(new TckEvent.Created("enveloped"));
        append(id, new TckEvent.Created("first"));
        store.append(id, TYPE, List.of(event), ExpectedVersion.exactly(1));

        StoredEvent stored = store.getEvents(id, TYPE).events().get(1);

        assertThat(stored.eventId()).isEqualTo(event.eventId());
        assertThat(stored.eventType()).isEqualTo("Created");
        assertThat(stored.aggregateId()).isEqualTo(id);
        assertThat(stored.aggregateType()).isEqualTo(TYPE);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.globalPosition()).isGreaterThan(store.getEvents(id, TYPE).events().get(0).globalPosition());
        assertThat(stored.event()).isEqualTo(new TckEvent.Created("enveloped"));
    }

    @Test
    void the_stored_event_type_is_the_event_type_annotation_name() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.Named("x"));

        StoredEvent stored = store.getEvents(id, TYPE).events().get(0);

        assertThat(stored.eventType()).isEqualTo("tck.Named");
        assertThat(stored.event()).isEqualTo(new OddEvents.Named("x"));
    }

    @Test
    void a_stream_read_sees_events_of_every_type_in_the_stream() {
        UUID id = UUID.randomUUID();
        append(id, new TckEvent.Created("a"), new OddEvents.Named("b"));

        EventStream stream = store.getEvents(id, TYPE);

        assertThat(stream.events()).extracting(StoredEvent::eventType).containsExactly("Created", "tck.Named");
    }
}
