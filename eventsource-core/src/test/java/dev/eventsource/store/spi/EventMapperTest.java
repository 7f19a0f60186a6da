package dev.eventsource.store.spi;

import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StreamId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.EventType;
import dev.eventsource.event.SerializationException;
import dev.eventsource.event.UnknownEventTypeException;
import dev.eventsource.store.EventLimits;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventMapperTest {

    enum Priority { LOW, HIGH }

    record Money(BigDecimal amount, String currency) {}

    record Rich(UUID id, Instant at, LocalDate day, BigDecimal price, Priority priority, Money money,
                List<String> tags, Map<String, Integer> counts, Optional<String> note) implements DomainEvent {}

    record Holder(Object value) implements DomainEvent {}

    @EventType(value = "NoteCreated", version = 1)
    record NoteCreatedV1(String title) implements DomainEvent {}

    @EventType(value = "NoteCreated", version = 2)
    record NoteCreatedV2(String title, String content) implements DomainEvent {}

    @EventType(value = "NoteCreated", version = 3)
    record NoteCreatedV3(String title, String content, int priority) implements DomainEvent {}

    record Totals(long paid, long owed) {
        public long getBalance() {
            return paid - owed;
        }
    }

    private static final StreamId STREAM = new StreamId("Note", UUID.randomUUID());

    @Test
    void round_trips_records_with_every_supported_component_type() {
        EventMapper mapper = new EventMapper(new EventRegistry());
        Rich event = new Rich(UUID.randomUUID(), Instant.parse("2026-11-26T10:15:30.123456Z"), LocalDate.of(2026, 2, 28),
                new BigDecimal("12345678901234567890.000000001"), Priority.HIGH, new Money(new BigDecimal("0.10"), "EUR"),
                List.of("a", "b"), Map.of("x", 1), Optional.of("n"));

        StoredEvent back = mapper.toStoredEvent(recorded(mapper.serialize(NewEvent.of(event))));

        assertThat(back.event()).isEqualTo(event);
    }

    @Test
    void refuses_a_payload_jackson_cannot_serialize_and_names_the_event() {
        EventMapper mapper = new EventMapper(new EventRegistry());

        assertThatThrownBy(() -> mapper.serialize(NewEvent.of(new Holder(new Object() {
            public Object getSelf() { return this; }
        })))).isInstanceOf(SerializationException.class).hasMessageContaining("Holder").hasMessageContaining("Nothing was written");
    }

    @Test
    void upcasts_a_stored_v1_event_through_the_chain_to_the_current_record() {
        EventRegistry writer = new EventRegistry();
        SerializedEvent v1 = new EventMapper(writer).serialize(NewEvent.of(new NoteCreatedV1("Meeting")));
        EventRegistry reader = new EventRegistry().register(NoteCreatedV3.class)
                .registerUpcaster("NoteCreated", 1, p -> p.put("content", ""))
                .registerUpcaster("NoteCreated", 2, p -> p.put("priority", 5));

        StoredEvent read = new EventMapper(reader).toStoredEvent(recorded(v1));

        assertThat(v1.schemaVersion()).isEqualTo(1);
        assertThat(read.event()).isEqualTo(new NoteCreatedV3("Meeting", "", 5));
    }

    @Test
    void a_missing_upcaster_step_is_a_clear_error() {
        SerializedEvent v1 = new EventMapper(new EventRegistry()).serialize(NewEvent.of(new NoteCreatedV1("Meeting")));
        EventRegistry reader = new EventRegistry().register(NoteCreatedV3.class)
                .registerUpcaster("NoteCreated", 1, p -> p.put("content", ""));

        assertThatThrownBy(() -> new EventMapper(reader).toStoredEvent(recorded(v1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("No upcaster for NoteCreated v2 -> v3")
                .hasMessageContaining("registerUpcaster");
    }

    @Test
    void refuses_to_read_an_event_written_by_newer_code() {
        SerializedEvent v2 = new EventMapper(new EventRegistry()).serialize(NewEvent.of(new NoteCreatedV2("t", "c")));
        EventRegistry reader = new EventRegistry().register(NoteCreatedV1.class);

        assertThatThrownBy(() -> new EventMapper(reader).toStoredEvent(recorded(v2)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("newer code");
    }

    @Test
    void reading_an_unregistered_type_lists_the_known_ones() {
        SerializedEvent v2 = new EventMapper(new EventRegistry()).serialize(NewEvent.of(new NoteCreatedV2("t", "c")));
        EventRegistry reader = new EventRegistry().register(Holder.class);

        assertThatThrownBy(() -> new EventMapper(reader).toStoredEvent(recorded(v2)))
                .isInstanceOf(UnknownEventTypeException.class).hasMessageContaining("[Holder]");
    }

    @Test
    void metadata_round_trips_and_empty_metadata_is_stored_as_an_empty_object() {
        EventMapper mapper = new EventMapper(new EventRegistry());
        EventMetadata metadata = new EventMetadata("acme", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                Map.of("source", "import", "ip", "10.0.0.1"));

        assertThat(mapper.metadata("acme", mapper.metadataJson(metadata))).isEqualTo(metadata);
        assertThat(mapper.metadataJson(EventMetadata.EMPTY)).isEqualTo("{}");
        assertThat(mapper.metadata(null, "{}")).isEqualTo(EventMetadata.EMPTY);
    }

    record Text(String value) implements DomainEvent {}

    @Test
    void refuses_a_nul_character_that_postgresql_could_not_store() {
        EventMapper mapper = new EventMapper(new EventRegistry());

        assertThatThrownBy(() -> mapper.serialize(NewEvent.of(new Text("before\u0000after"))))
                .isInstanceOf(SerializationException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> mapper.serialize(NewEvent.of(new Text("x"), EventMetadata.EMPTY.withExtra("k", "a\u0000"))))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void accepts_text_that_merely_spells_the_nul_escape() {
        EventMapper mapper = new EventMapper(new EventRegistry());
        Text spelled = new Text("a literal \\u0000 is fine");

        SerializedEvent e = mapper.serialize(NewEvent.of(spelled));

        assertThat(mapper.toStoredEvent(recorded(e)).event()).isEqualTo(spelled);
    }

    @Test
    void truncates_occurrence_times_to_microseconds() {
        SerializedEvent e = new EventMapper(new EventRegistry()).serialize(
                NewEvent.of(new NoteCreatedV1("t")).withOccurredAt(Instant.parse("2026-11-26T10:15:30.123456789Z")));

        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-11-26T10:15:30.123456Z"));
    }

    @Test
    void upcasters_receive_an_object_node_they_may_replace() {
        SerializedEvent v1 = new EventMapper(new EventRegistry()).serialize(NewEvent.of(new NoteCreatedV1("x")));
        EventRegistry reader = new EventRegistry().register(NoteCreatedV2.class)
                .registerUpcaster("NoteCreated", 1, p -> {
                    ObjectNode fresh = p.objectNode();
                    fresh.put("title", p.get("title").asText().toUpperCase());
                    fresh.put("content", "migrated");
                    return fresh;
                });

        assertThat(new EventMapper(reader).toStoredEvent(recorded(v1)).event()).isEqualTo(new NoteCreatedV2("X", "migrated"));
    }

    record Chain(Chain next) implements DomainEvent {}

    @Test
    void the_default_mapper_reads_with_the_limits_every_write_is_checked_against() {
        assertThat(EventMapper.defaultObjectMapper().getFactory().streamReadConstraints())
                .isSameAs(EventLimits.streamReadConstraints());
        assertThat(EventMapper.defaultObjectMapper().getFactory().streamWriteConstraints())
                .isSameAs(EventLimits.streamWriteConstraints());
    }

    @Test
    void a_stored_row_nested_deeper_than_the_read_limit_fails_to_read_naming_it() {
        EventMapper mapper = new EventMapper(new EventRegistry().register(Chain.class));
        RecordedEvent row = rowOf("Chain", "{\"next\":".repeat(5_000) + "null" + "}".repeat(5_000));

        assertThatThrownBy(() -> mapper.toStoredEvent(row)).isInstanceOfSatisfying(SerializationException.class,
                        e -> assertThat(e.eventId()).isEqualTo(row.eventId()))
                .hasMessageContaining(row.eventId().toString()).hasMessageContaining("Note/" + STREAM.aggregateId() + " v7")
                .hasMessageContaining("global position 42").hasMessageContaining("nesting depth");
    }

    @Test
    void a_stored_row_that_overflows_the_stack_of_a_custom_mapper_fails_with_a_serialization_exception() {
        com.fasterxml.jackson.databind.ObjectMapper unbounded = EventMapper.defaultObjectMapper().copy();
        unbounded.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxNestingDepth(Integer.MAX_VALUE).build());
        EventMapper mapper = new EventMapper(new EventRegistry().register(Chain.class), unbounded);
        RecordedEvent row = rowOf("Chain", "{\"next\":".repeat(200_000) + "null" + "}".repeat(200_000));

        assertThatThrownBy(() -> mapper.toStoredEvent(row)).isInstanceOf(SerializationException.class)
                .hasMessageContaining(row.eventId().toString());
    }

    @Test
    void refuses_to_write_a_record_nested_deeper_than_the_limit_even_with_a_custom_mapper_that_allows_it() {
        com.fasterxml.jackson.databind.ObjectMapper unbounded = new com.fasterxml.jackson.databind.ObjectMapper();
        EventMapper mapper = new EventMapper(new EventRegistry(), unbounded);
        Chain deep = null;
        for (int i = 0; i <= EventLimits.MAX_JSON_DEPTH; i++) {
            deep = new Chain(deep);
        }
        Chain tooDeep = deep;

        assertThatThrownBy(() -> mapper.serialize(NewEvent.of(tooDeep))).isInstanceOf(SerializationException.class)
                .hasMessageContaining("nesting depth");
    }

    private static RecordedEvent rowOf(String eventType, String payloadJson) {
        return new RecordedEvent(UUID.randomUUID(), eventType, 1, STREAM.aggregateId(), STREAM.aggregateType(), 7, 42,
                Instant.EPOCH, Instant.EPOCH, null, "{}", payloadJson);
    }

    private static RecordedEvent recorded(SerializedEvent e) {
        return e.recorded(STREAM, 1, 1, Instant.now());
    }

    @Test
    void reads_strictly_what_write_json_wrote_including_derived_getters() {
        EventMapper mapper = new EventMapper(new EventRegistry());

        assertThat(mapper.readJson(mapper.writeJson(new Totals(5, 2)), Totals.class)).isEqualTo(new Totals(5, 2));
    }

    @Test
    void refuses_snapshot_json_that_is_null_lacks_a_field_or_has_an_unknown_one() {
        EventMapper mapper = new EventMapper(new EventRegistry());

        for (String damaged : List.of("null", "{}", "{\"paid\": 5}", "{\"paid\": 5, \"owed\": 2, \"other\": 1}",
                "{\"paid\": null, \"owed\": 2}", "{\"paid\": 5, \"owed\": 2} {}")) {
            assertThatThrownBy(() -> mapper.readJson(damaged, Totals.class)).as(damaged)
                    .isInstanceOf(SerializationException.class).hasMessageContaining("Totals");
        }
    }

    record Readings(double[] values, float[] ratios, Object untyped) {}

    @Test
    void writes_negative_zero_as_zero_in_arrays_and_untyped_values_too() {
        String json = new EventMapper(new EventRegistry())
                .writeJson(new Readings(new double[] {-0.0, -1.0}, new float[] {-0.0f}, -0.0));

        assertThat(json).isEqualTo("{\"values\":[0.0,-1.0],\"ratios\":[0.0],\"untyped\":0.0}");
    }

    @Test
    void metadata_reads_back_in_both_spacings_and_unusual_stored_shapes_keep_their_reading() {
        EventMapper mapper = new EventMapper(new EventRegistry());
        UUID actor = UUID.randomUUID();
        UUID correlation = UUID.randomUUID();
        EventMetadata full = new EventMetadata("t1", actor, correlation, null, Map.of("b", "2", "a", "1"))
                .withTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        assertThat(mapper.metadata("t1", mapper.metadataJson(full))).isEqualTo(full);
        // As PostgreSQL's jsonb prints it back: spaces, keys reordered.
        assertThat(mapper.metadata(null, "{\"extras\": {\"a\": \"1\"}, \"actorId\": \"" + actor + "\", \"causationId\": null}"))
                .isEqualTo(new EventMetadata(null, actor, null, null, Map.of("a", "1")));
        // Shapes the library never writes keep their old reading: unknown fields ignored, non-string extras as text.
        assertThat(mapper.metadata(null, "{\"actorId\": \"" + actor + "\", \"other\": [1, 2]}"))
                .isEqualTo(new EventMetadata(null, actor, null, null, Map.of()));
        assertThat(mapper.metadata(null, "{\"extras\": {\"n\": 5, \"s\": \"x\", \"z\": null}}").extras())
                .containsExactly(Map.entry("n", "5"), Map.entry("s", "x"), Map.entry("z", "null"));
        assertThat(mapper.metadata(null, "{\"extras\": \"not an object\"}")).isEqualTo(EventMetadata.EMPTY);
        assertThatThrownBy(() -> mapper.metadata(null, "{\"actorId\": \"not-a-uuid\"}"))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Stored metadata is not valid");
        assertThatThrownBy(() -> mapper.metadata(null, "{\"actorId\": 12}"))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Stored metadata is not valid");
        assertThatThrownBy(() -> mapper.metadata(null, "{\"actorId\": "))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Stored metadata is not valid");
    }

    @Test
    void a_type_name_read_before_its_class_is_registered_reads_once_the_class_is() {
        EventRegistry registry = new EventRegistry();
        EventMapper mapper = new EventMapper(registry);
        assertThatThrownBy(() -> mapper.payload("NoteCreated", 1, "{\"title\": \"x\"}"))
                .isInstanceOf(UnknownEventTypeException.class);
        registry.register(NoteCreatedV1.class);
        assertThat(mapper.payload("NoteCreated", 1, "{\"title\": \"x\"}")).isEqualTo(new NoteCreatedV1("x"));
    }
}
