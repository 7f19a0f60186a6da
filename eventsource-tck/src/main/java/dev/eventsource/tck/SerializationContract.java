package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.DuplicateEventTypeException;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.SerializationException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Payloads, metadata and timestamps round-trip exactly, and events that cannot be stored are
 * refused the same way everywhere, before anything is written (see {@code docs/semantics.md},
 * "Events, metadata and time" and "What a store accepts").
 *
 * <p>Reading with a registry that lacks a type ({@code UnknownEventTypeException}) and upcasting
 * old schema versions need a second store over the same data: they live in {@link ReopenContract}.
 */
public abstract class SerializationContract extends EventStoreFixture {

    // Payloads.

    @Test
    void round_trips_strings_and_ints() {
        assertRoundTrip(new TckEvent.Renamed("plain text", Integer.MIN_VALUE));
    }

    @Test
    void round_trips_big_decimals_keeping_their_scale() {
        TckEvent.Priced priced = roundTrip(new TckEvent.Priced(new BigDecimal("12345678901234567890.1200"),
                TckEvent.Channel.WEB, Instant.EPOCH, UUID.randomUUID()));

        assertThat(priced.amount()).isEqualTo(new BigDecimal("12345678901234567890.1200"));
    }

    @Test
    void negative_zero_in_a_payload_reads_back_as_zero_on_every_backend() {
        OddEvents.Measured measured = roundTrip(new OddEvents.Measured(-0.0, -0.0f, -0.0, List.of(-0.0, -1.5),
                BigDecimal.ZERO));

        assertThat(Double.doubleToRawLongBits(measured.reading())).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Float.floatToRawIntBits(measured.ratio())).isEqualTo(Float.floatToRawIntBits(0.0f));
        assertThat(Double.doubleToRawLongBits(measured.boxed())).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(measured.samples()).containsExactly(0.0, -1.5);
    }

    @Test
    void a_big_decimal_with_a_negative_scale_reads_back_in_plain_form_on_every_backend() {
        OddEvents.Measured measured = roundTrip(new OddEvents.Measured(1e300, Float.MAX_VALUE, Double.MIN_VALUE,
                List.of(), new BigDecimal("1.5E+3")));

        assertThat(measured.amount()).isEqualTo(new BigDecimal("1500"));
        assertThat(measured.reading()).isEqualTo(1e300);
        assertThat(measured.ratio()).isEqualTo(Float.MAX_VALUE);
        assertThat(measured.boxed()).isEqualTo(Double.MIN_VALUE);
    }

    @Test
    void round_trips_enums_uuids_and_instants_with_nanoseconds_inside_the_payload() {
        assertRoundTrip(new TckEvent.Priced(BigDecimal.ONE, TckEvent.Channel.BRANCH,
                Instant.parse("2024-02-29T23:59:59.123456789Z"), UUID.randomUUID()));
    }

    @Test
    void round_trips_nested_records_lists_maps_and_a_present_optional() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("b", 2);
        counts.put("a", 1);

        assertRoundTrip(new TckEvent.Detailed(new TckEvent.Address("1 Main St", "Springfield"),
                List.of("x", "y", "x"), counts, Optional.of("note")));
    }

    @Test
    void round_trips_an_empty_optional_and_empty_collections() {
        assertRoundTrip(new TckEvent.Detailed(new TckEvent.Address("", ""), List.of(), Map.of(), Optional.empty()));
    }

    @Test
    void round_trips_null_fields() {
        assertRoundTrip(new TckEvent.Priced(null, null, null, null));
    }

    @Test
    void round_trips_emoji_cjk_and_right_to_left_text() {
        assertRoundTrip(new TckEvent.Created("emoji 🎉👩‍💻 cjk 事件溯源 イベント rtl مرحبا שלום combining é"));
    }

    @Test
    void round_trips_quotes_backslashes_and_control_characters() {
        assertRoundTrip(new TckEvent.Created("\"quoted\" \\ back\\slash \t tab \n newline \r \b \f \u001f"));
    }

    @Test
    void refuses_a_nul_character_on_every_backend_and_writes_nothing() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> append(id, new TckEvent.Created("before\u0000after")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("U+0000");
        assertThat(store.getStreamVersion(id, TYPE)).isZero();
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void round_trips_unicode_in_map_keys() {
        assertRoundTrip(new TckEvent.Detailed(new TckEvent.Address("街", "город"), List.of("🎉"),
                Map.of("ключ", 1, "キー", 2), Optional.of("مرحبا")));
    }

    @Test
    void round_trips_a_one_megabyte_payload() {
        StringBuilder big = new StringBuilder(1 << 20);
        for (int i = 0; big.length() < (1 << 20); i++) {
            big.append(i % 10 == 0 ? 'é' : (char) ('a' + i % 26));
        }

        assertRoundTrip(new TckEvent.Created(big.toString()));
    }

    // Metadata.

    @Test
    void round_trips_every_metadata_field() {
        EventMetadata metadata = new EventMetadata("tenant-1", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                Map.of("source", "import", "trace", "00-abc-01", "unicode", "café ☕"));

        StoredEvent stored = storeOne(NewEvent.of(new TckEvent.Created("x"), metadata));

        assertThat(stored.metadata()).isEqualTo(metadata);
        assertThat(stored.tenantId()).isEqualTo("tenant-1");
    }

    @Test
    void events_without_metadata_read_back_with_empty_metadata() {
        StoredEvent stored = storeOne(NewEvent.of(new TckEvent.Created("x")));

        assertThat(stored.metadata()).isEqualTo(EventMetadata.EMPTY);
        assertThat(stored.tenantId()).isNull();
    }

    @Test
    void metadata_is_kept_per_append() {
        UUID id = UUID.randomUUID();
        EventMetadata first = EventMetadata.EMPTY.withTenantId("a").withActorId(UUID.randomUUID());
        EventMetadata second = EventMetadata.EMPTY.withCorrelationId(UUID.randomUUID()).withExtra("k", "v");
        store.appendEvents(id, TYPE, List.of(new TckEvent.Created("1"), new TckEvent.Renamed("2", 2)),
                ExpectedVersion.NO_STREAM, first);
        store.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("3", 3)), ExpectedVersion.exactly(2), second);

        List<StoredEvent> events = store.getEvents(id, TYPE).events();

        assertThat(events).extracting(StoredEvent::metadata).containsExactly(first, first, second);
    }

    @Test
    void metadata_is_kept_per_event() {
        UUID id = UUID.randomUUID();
        EventMetadata one = EventMetadata.EMPTY.withCausationId(UUID.randomUUID());
        EventMetadata two = EventMetadata.EMPTY.withTenantId("t2");
        store.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Created("1"), one),
                NewEvent.of(new TckEvent.Renamed("2", 2), two)), ExpectedVersion.NO_STREAM);

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::metadata).containsExactly(one, two);
    }

    @Test
    void metadata_round_trips_through_a_global_read() {
        EventMetadata metadata = EventMetadata.EMPTY.withTenantId("t").withActorId(UUID.randomUUID()).withExtra("k", "v");
        store.appendEvents(UUID.randomUUID(), TYPE, List.of(new TckEvent.Created("x")), ExpectedVersion.ANY, metadata);

        assertThat(readAll().get(0).metadata()).isEqualTo(metadata);
    }

    // Timestamps.

    @Test
    void occurred_at_round_trips_exactly_at_microsecond_precision() {
        Instant at = Instant.parse("2023-07-14T08:15:30.123456Z");

        StoredEvent stored = storeOne(NewEvent.of(new TckEvent.Created("x")).withOccurredAt(at));

        assertThat(stored.occurredAt()).isEqualTo(at);
    }

    @Test
    void occurred_at_with_nanoseconds_is_truncated_to_microseconds() {
        Instant at = Instant.parse("2023-07-14T08:15:30.123456789Z");

        StoredEvent stored = storeOne(NewEvent.of(new TckEvent.Created("x")).withOccurredAt(at));

        assertThat(stored.occurredAt()).isEqualTo(Instant.parse("2023-07-14T08:15:30.123456Z"));
    }

    @Test
    void occurred_at_far_in_the_past_and_future_round_trips() {
        UUID id = UUID.randomUUID();
        Instant past = Instant.parse("1970-01-01T00:00:00.000001Z");
        Instant future = Instant.parse("2199-12-31T23:59:59.999999Z");
        store.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Created("p")).withOccurredAt(past),
                NewEvent.of(new TckEvent.Created("f")).withOccurredAt(future)), ExpectedVersion.NO_STREAM);

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::occurredAt).containsExactly(past, future);
    }

    @Test
    void occurred_at_defaults_to_the_time_of_the_append() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.randomUUID();
        append(id, new TckEvent.Created("now"));
        Instant after = Instant.now();

        Instant occurredAt = store.getEvents(id, TYPE).events().get(0).occurredAt();

        assertThat(occurredAt).isBetween(before, after);
    }

    @Test
    void recorded_at_has_microsecond_precision() {
        UUID id = UUID.randomUUID();
        append(id, new TckEvent.Created("x"));

        Instant recordedAt = store.getEvents(id, TYPE).events().get(0).recordedAt();

        assertThat(recordedAt).isNotNull();
        assertThat(recordedAt.getNano() % 1_000).isZero();
        assertThat(readAll().get(0).recordedAt()).isEqualTo(recordedAt);
    }

    // Refusals.

    @Test
    void an_event_that_cannot_be_serialized_is_refused_and_nothing_is_written() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> append(id, new OddEvents.Unserializable("x")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unserializable");

        assertThat(store.getStreamVersion(id, TYPE)).isZero();
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void an_event_that_cannot_be_read_back_is_refused_on_write_and_nothing_is_written() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> append(id, new OddEvents.Unreadable("x", 0)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unreadable");

        assertThat(store.getStreamVersion(id, TYPE)).isZero();
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void two_classes_with_one_event_type_name_are_refused_and_the_second_is_not_written() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.ClashA("a"));

        assertThatThrownBy(() -> append(id, new OddEvents.ClashB("b")))
                .isInstanceOf(DuplicateEventTypeException.class)
                .hasMessageContaining("tck.Clash");

        assertThat(payloads(store.getEvents(id, TYPE).events())).containsExactly(new OddEvents.ClashA("a"));
    }

    @Test
    void an_event_type_clash_inside_one_batch_writes_none_of_it() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> append(id, new OddEvents.ClashA("a"), new OddEvents.ClashB("b")))
                .isInstanceOf(DuplicateEventTypeException.class);

        assertThat(store.getStreamVersion(id, TYPE)).isZero();
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void the_store_registers_an_event_class_on_its_first_write() {
        append(UUID.randomUUID(), new OddEvents.Named("x"));

        assertThat(registry.find("tck.Named")).contains(OddEvents.Named.class);
    }

    private StoredEvent storeOne(NewEvent event) {
        UUID id = UUID.randomUUID();
        store.append(id, TYPE, List.of(event), ExpectedVersion.NO_STREAM);
        return store.getEvents(id, TYPE).events().get(0);
    }

    private <E extends DomainEvent> E roundTrip(E event) {
        UUID id = UUID.randomUUID();
        append(id, event);
        DomainEvent fromStream = store.getEvents(id, TYPE).events().get(0).event();
        DomainEvent fromLog = readAll().get(0).event();
        assertThat(fromLog).isEqualTo(fromStream);
        @SuppressWarnings("unchecked")
        E read = (E) fromStream;
        return read;
    }

    private void assertRoundTrip(DomainEvent event) {
        assertThat(roundTrip(event)).isEqualTo(event);
    }
}
