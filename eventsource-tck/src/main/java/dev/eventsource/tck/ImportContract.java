package dev.eventsource.tck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.SerializationException;
import dev.eventsource.store.EventLimits;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.EventImporter.ImportResult;
import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedEventReader;
import dev.eventsource.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link EventImporter}, the role that migration between backends and the import
 * of exports rely on: rows keep their event id, stream, version, times, tenant, metadata and
 * payload; a batch is written atomically in its order; a row already stored at the same place is
 * skipped; a row whose id is stored elsewhere, or whose version does not directly follow its
 * stream's, is refused with {@link ImportConflictException} and nothing of its batch is written;
 * payloads are never deserialized.
 *
 * <p>An optional suite, not part of {@link EventStoreContract}: a backend that implements the role
 * extends this class and implements {@link #newStore(EventRegistry)}, returning a new, empty store
 * that implements {@link EventImporter} and {@link RecordedEventReader}. Each test gets a fresh
 * store, initialized by the suite and closed after the test.
 */
public abstract class ImportContract {

    private static final String TYPE = "Item";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A new, empty store using {@code registry}, implementing the import and stored-row roles; not yet initialized. */
    protected abstract EventStore newStore(EventRegistry registry);

    private EventRegistry registry;
    private EventStore store;
    private EventImporter importer;
    private RecordedEventReader reader;

    @BeforeEach
    final void openFreshStore() {
        registry = new EventRegistry().register(TckEvent.class);
        store = newStore(registry);
        store.initialize();
        assertThat(store).as("the store under test must implement both roles")
                .isInstanceOf(EventImporter.class).isInstanceOf(RecordedEventReader.class);
        importer = (EventImporter) store;
        reader = (RecordedEventReader) store;
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void imports_rows_read_from_another_store_with_every_field_preserved() {
        List<RecordedEvent> source = rowsOfAnotherStore();

        ImportResult result = importer.importRecorded(source);

        assertThat(result).isEqualTo(new ImportResult(source.size(), 0));
        assertSameRows(recorded(), source);
    }

    @Test
    void imported_rows_deserialize_like_appended_events() {
        InMemoryEventStore other = new InMemoryEventStore(new EventRegistry().register(TckEvent.class));
        UUID id = UUID.randomUUID();
        other.appendEvents(id, TYPE, List.of(new TckEvent.Created("lamp"), new TckEvent.Renamed("desk lamp", 2)),
                ExpectedVersion.NO_STREAM);

        importer.importRecorded(rowsOf(other));

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::event)
                .containsExactly(new TckEvent.Created("lamp"), new TckEvent.Renamed("desk lamp", 2));
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
        other.close();
    }

    @Test
    void keeps_the_occurrence_and_recording_times_of_imported_rows() {
        RecordedEvent old = row(UUID.randomUUID(), 1, "Created", "{\"name\":\"old\"}",
                Instant.parse("2019-03-04T05:06:07.123456Z"), Instant.parse("2020-11-12T13:14:15.654321Z"));

        importer.importRecorded(List.of(old));

        RecordedEvent stored = recorded().get(0);
        assertThat(stored.occurredAt()).isEqualTo(old.occurredAt());
        assertThat(stored.recordedAt()).isEqualTo(old.recordedAt());
    }

    @Test
    void assigns_increasing_global_positions_in_the_order_of_the_batch() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        List<RecordedEvent> batch = List.of(row(a, 1), row(b, 1), row(a, 2), row(c, 1), row(b, 2), row(a, 3));

        importer.importRecorded(batch);

        List<RecordedEvent> stored = recorded();
        assertThat(stored).extracting(RecordedEvent::eventId).containsExactlyElementsOf(ids(batch));
        assertThat(stored).extracting(RecordedEvent::globalPosition).isSorted().doesNotHaveDuplicates();
        assertThat(store.globalPosition()).isEqualTo(stored.get(stored.size() - 1).globalPosition());
    }

    @Test
    void places_imported_rows_after_the_events_already_in_the_store() {
        UUID appended = UUID.randomUUID();
        long before = store.appendEvents(appended, TYPE, List.of(new TckEvent.Created("first")), ExpectedVersion.NO_STREAM)
                .globalPosition();

        importer.importRecorded(List.of(row(UUID.randomUUID(), 1)));

        assertThat(recorded()).extracting(RecordedEvent::globalPosition).hasSize(2).isSorted().first().isEqualTo(before);
    }

    @Test
    void skips_a_batch_that_was_already_imported_entirely() {
        UUID a = UUID.randomUUID();
        List<RecordedEvent> batch = List.of(row(a, 1), row(a, 2), row(UUID.randomUUID(), 1));
        importer.importRecorded(batch);
        List<RecordedEvent> first = recorded();

        ImportResult again = importer.importRecorded(batch);

        assertThat(again).isEqualTo(new ImportResult(0, 3));
        assertThat(recorded()).isEqualTo(first);
    }

    @Test
    void looks_up_stored_rows_by_event_id_in_bulk_as_stored_and_leaves_out_unknown_ids() {
        UUID a = UUID.randomUUID();
        importer.importRecorded(List.of(row(a, 1), row(a, 2), row(UUID.randomUUID(), 1)));
        UUID appended = UUID.randomUUID();
        store.appendEvents(appended, TYPE, List.of(new TckEvent.Created("appended")), ExpectedVersion.NO_STREAM);
        List<RecordedEvent> stored = recorded();
        List<UUID> asked = new ArrayList<>(ids(stored));
        UUID unknown = UUID.randomUUID();
        asked.add(1, unknown);

        Map<UUID, RecordedEvent> found = importer.storedEvents(asked);

        assertThat(found).hasSize(4).doesNotContainKey(unknown);
        stored.forEach(row -> assertThat(found.get(row.eventId())).as("row %s as stored", row.eventId()).isEqualTo(row));
        assertThat(importer.storedEvents(List.of())).isEmpty();
        assertThat(importer.storedEvents(List.of(unknown))).isEmpty();
    }

    @Test
    void looks_up_more_ids_than_one_query_takes() {
        List<RecordedEvent> batch = new ArrayList<>();
        for (int i = 0; i < 1_203; i++) {
            batch.add(row(UUID.randomUUID(), 1));
        }
        importer.importRecorded(batch);

        assertThat(importer.storedEvents(ids(batch)).keySet()).containsExactlyInAnyOrderElementsOf(ids(batch));
    }

    @Test
    void refuses_to_look_up_a_null_list_or_a_null_id() {
        assertThatThrownBy(() -> importer.storedEvents(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventIds must not be null");
        List<UUID> withNull = new ArrayList<>();
        withNull.add(UUID.randomUUID());
        withNull.add(null);
        assertThatThrownBy(() -> importer.storedEvents(withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null id");
    }

    @Test
    void resumes_a_batch_that_was_partly_imported_without_duplicating() {
        UUID a = UUID.randomUUID();
        List<RecordedEvent> batch = List.of(row(a, 1), row(a, 2), row(a, 3), row(a, 4));
        importer.importRecorded(batch.subList(0, 2));

        ImportResult rest = importer.importRecorded(batch);

        assertThat(rest).isEqualTo(new ImportResult(2, 2));
        assertThat(recorded()).extracting(RecordedEvent::eventId).containsExactlyElementsOf(ids(batch));
        assertThat(store.getStreamVersion(a, TYPE)).isEqualTo(4);
    }

    @Test
    void refuses_a_batch_holding_an_id_stored_in_another_stream_and_writes_none_of_it() {
        RecordedEvent stored = row(UUID.randomUUID(), 1);
        importer.importRecorded(List.of(stored));
        RecordedEvent fresh = row(UUID.randomUUID(), 1);
        RecordedEvent sameIdElsewhere = withId(row(UUID.randomUUID(), 1), stored.eventId());

        assertThatThrownBy(() -> importer.importRecorded(List.of(fresh, sameIdElsewhere)))
                .isInstanceOfSatisfying(ImportConflictException.class,
                        e -> assertThat(e.eventId()).isEqualTo(stored.eventId()))
                .hasMessageContaining("already stores that id as " + stored.stream() + " v1");
        assertThat(store.eventExists(fresh.eventId())).isFalse();
        assertThat(recorded()).hasSize(1);
    }

    @Test
    void refuses_a_batch_holding_one_id_at_two_places_and_writes_none_of_it() {
        RecordedEvent first = row(UUID.randomUUID(), 1);
        RecordedEvent twin = withId(row(UUID.randomUUID(), 1), first.eventId());

        assertThatThrownBy(() -> importer.importRecorded(List.of(first, twin)))
                .isInstanceOf(ImportConflictException.class);
        assertThat(store.eventExists(first.eventId())).isFalse();
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void refuses_a_batch_whose_row_skips_a_version_and_writes_none_of_it() {
        UUID a = UUID.randomUUID();
        RecordedEvent v1 = row(a, 1);
        RecordedEvent v3 = row(a, 3);

        assertThatThrownBy(() -> importer.importRecorded(List.of(v1, v3)))
                .isInstanceOfSatisfying(ImportConflictException.class, e -> assertThat(e.eventId()).isEqualTo(v3.eventId()))
                .hasMessageContaining("next importable version is 2");
        assertThat(store.eventExists(v1.eventId())).isFalse();
        assertThat(store.getStreamVersion(a, TYPE)).isZero();
    }

    @Test
    void refuses_a_row_that_overlaps_other_events_of_its_stream() {
        UUID a = UUID.randomUUID();
        store.appendEvents(a, TYPE, List.of(new TckEvent.Created("local")), ExpectedVersion.NO_STREAM);
        RecordedEvent other = row(UUID.randomUUID(), 1);
        RecordedEvent overlap = row(a, 1);

        assertThatThrownBy(() -> importer.importRecorded(List.of(other, overlap)))
                .isInstanceOf(ImportConflictException.class)
                .hasMessageContaining("that stream is at version 1 in the target");
        assertThat(store.eventExists(other.eventId())).isFalse();
        assertThat(store.getEvents(a, TYPE).events()).extracting(StoredEvent::event)
                .containsExactly(new TckEvent.Created("local"));
    }

    @Test
    void appends_continue_a_stream_after_its_imported_events() {
        UUID a = UUID.randomUUID();
        importer.importRecorded(List.of(row(a, 1), row(a, 2)));

        long version = store.appendEvents(a, TYPE, List.of(new TckEvent.Renamed("next", 3)), ExpectedVersion.exactly(2))
                .newVersion();

        assertThat(version).isEqualTo(3);
        assertThat(recorded()).extracting(RecordedEvent::globalPosition).hasSize(3).isSorted();
    }

    @Test
    void imports_rows_whose_event_type_no_registry_knows_and_reads_them_back_as_stored() {
        UUID a = UUID.randomUUID();
        RecordedEvent legacy = row(a, 1, "LegacyThingHappened", "{\"legacy\":{\"codes\":[1,2,3]},\"label\":\"caf\u00e9\"}",
                Instant.parse("2018-01-01T00:00:00.000001Z"), Instant.parse("2018-01-01T00:00:01Z"));

        ImportResult result = importer.importRecorded(List.of(legacy));

        assertThat(result).isEqualTo(new ImportResult(1, 0));
        assertSameRows(recorded(), List.of(legacy));
        assertSameRows(reader.readRecordedStream(new StreamId(TYPE, a), 0).events(), List.of(legacy));
    }

    @Test
    void an_empty_batch_imports_nothing() {
        assertThat(importer.importRecorded(List.of())).isEqualTo(new ImportResult(0, 0));
        assertThat(store.globalPosition()).isZero();
    }

    // What a store accepts: the limits of EventLimits, checked before anything of the batch is written.

    @Test
    void refuses_a_row_whose_payload_holds_a_nul_and_writes_none_of_its_batch() {
        assertRefused(withPayload(row(UUID.randomUUID(), 1), "{\"name\":\"a\\u0000b\"}"), "U+0000");
    }

    @Test
    void refuses_a_row_whose_payload_holds_a_lone_surrogate() {
        assertRefused(withPayload(row(UUID.randomUUID(), 1), "{\"name\":\"a\uD800b\"}"), "unpaired UTF-16 surrogate");
        assertRefused(withPayload(row(UUID.randomUUID(), 1), "{\"name\":\"a\\uD800b\"}"), "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_row_whose_payload_string_is_longer_than_the_json_length_limit() {
        String tooLong = "{\"name\":\"" + "x".repeat(EventLimits.MAX_JSON_LENGTH) + "\"}";

        assertRefused(withPayload(row(UUID.randomUUID(), 1), tooLong), "characters long");
    }

    @Test
    void refuses_a_row_whose_payload_is_nested_deeper_than_the_depth_limit() {
        int depth = EventLimits.MAX_JSON_DEPTH + 1;
        String deep = "{\"inner\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);

        assertRefused(withPayload(row(UUID.randomUUID(), 1), deep), "nesting depth");
    }

    @Test
    void refuses_a_row_whose_payload_is_not_a_json_object() {
        assertRefused(withPayload(row(UUID.randomUUID(), 1), "[1, 2]"), "must be a JSON object");
        assertRefused(withPayload(row(UUID.randomUUID(), 1), "{\"name\": tru"), "not valid JSON");
        assertRefused(withPayload(row(UUID.randomUUID(), 1), "{} {}"), "one JSON object");
    }

    @Test
    void refuses_a_row_whose_metadata_could_not_be_read_back() {
        RecordedEvent r = row(UUID.randomUUID(), 1);
        RecordedEvent badActor = new RecordedEvent(r.eventId(), r.eventType(), r.schemaVersion(), r.aggregateId(),
                r.aggregateType(), r.version(), r.globalPosition(), r.occurredAt(), r.recordedAt(), r.tenantId(),
                "{\"actorId\":\"not-a-uuid\"}", r.payloadJson());

        assertRefused(badActor, "metadata");
    }

    @Test
    void refuses_a_row_whose_tenant_holds_a_lone_surrogate() {
        assertRefused(withNames(row(UUID.randomUUID(), 1), TYPE, "Renamed", "acme\uDC00"), "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_row_whose_aggregate_type_holds_a_nul() {
        assertRefused(withNames(row(UUID.randomUUID(), 1), "Item\u0000", "Renamed", null), "U+0000");
    }

    @Test
    void refuses_a_row_whose_aggregate_type_is_longer_than_the_name_limit() {
        assertRefused(withNames(row(UUID.randomUUID(), 1), "A".repeat(10_000), "Renamed", null),
                "at most " + EventLimits.MAX_NAME_LENGTH);
    }

    @Test
    void refuses_a_row_whose_event_type_is_longer_than_the_name_limit() {
        assertRefused(withNames(row(UUID.randomUUID(), 1), TYPE, "E".repeat(EventLimits.MAX_NAME_LENGTH + 1), null),
                "at most " + EventLimits.MAX_NAME_LENGTH);
    }

    @Test
    void refuses_a_row_that_occurred_after_year_9999() {
        assertRefused(row(UUID.randomUUID(), 1, "Renamed", "{}", Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2020-01-01T00:00:00Z")), "occurredAt");
    }

    @Test
    void refuses_a_row_recorded_before_year_1() {
        assertRefused(row(UUID.randomUUID(), 1, "Renamed", "{}", Instant.parse("2020-01-01T00:00:00Z"), Instant.MIN),
                "recordedAt");
    }

    @Test
    void truncates_imported_times_to_microseconds_like_appended_ones() {
        RecordedEvent precise = row(UUID.randomUUID(), 1, "Renamed", "{}", Instant.parse("2020-01-01T00:00:00.123456789Z"),
                Instant.parse("2020-01-01T00:00:01.999999999Z"));

        importer.importRecorded(List.of(precise));

        RecordedEvent stored = recorded().get(0);
        assertThat(stored.occurredAt()).isEqualTo(Instant.parse("2020-01-01T00:00:00.123456Z"));
        assertThat(stored.recordedAt()).isEqualTo(Instant.parse("2020-01-01T00:00:01.999999Z"));
    }

    // Reading back: a row that cannot be decoded is named.

    @Test
    void a_row_that_does_not_fit_its_class_fails_to_read_naming_its_id_stream_version_and_position() {
        UUID a = UUID.randomUUID();
        importer.importRecorded(List.of(row(a, 1)));
        RecordedEvent misfit = withPayload(row(a, 2), "{\"name\":\"n\",\"revision\":\"not a number\"}");
        importer.importRecorded(List.of(misfit));
        long position = recorded().get(1).globalPosition();

        assertThatThrownBy(() -> store.getEvents(a, TYPE)).isInstanceOfSatisfying(SerializationException.class,
                        e -> assertThat(e.eventId()).isEqualTo(misfit.eventId()))
                .hasMessageContaining(misfit.eventId().toString()).hasMessageContaining(TYPE + "/" + a + " v2")
                .hasMessageContaining("position " + position).hasMessageContaining("Renamed");
        assertThatThrownBy(() -> readAllEvents()).isInstanceOf(SerializationException.class)
                .hasMessageContaining(misfit.eventId().toString()).hasMessageContaining("position " + position);
    }

    @Test
    void an_upcaster_that_throws_fails_the_read_naming_the_event() {
        registry.register(OddEvents.PersonV2.class).registerUpcaster("tck.Person", 1, payload -> {
            throw new NullPointerException("a bug in the upcaster");
        });
        UUID a = UUID.randomUUID();
        RecordedEvent old = row(a, 1, "tck.Person", "{\"fullName\":\"Ada Lovelace\"}", Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2020-01-01T00:00:00Z"));
        importer.importRecorded(List.of(old));

        assertThatThrownBy(() -> store.getEvents(a, TYPE)).isInstanceOf(SerializationException.class)
                .hasMessageContaining(old.eventId().toString()).hasMessageContaining("a bug in the upcaster")
                .hasRootCauseInstanceOf(NullPointerException.class);
    }

    @Test
    void an_upcaster_that_overflows_the_stack_fails_the_read_with_a_library_exception() {
        registry.register(OddEvents.PersonV2.class).registerUpcaster("tck.Person", 1, ImportContract::recurse);
        UUID a = UUID.randomUUID();
        RecordedEvent old = row(a, 1, "tck.Person", "{\"fullName\":\"Ada Lovelace\"}", Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2020-01-01T00:00:00Z"));
        importer.importRecorded(List.of(old));

        assertThatThrownBy(() -> store.getEvents(a, TYPE)).isInstanceOf(SerializationException.class)
                .hasMessageContaining(old.eventId().toString()).hasMessageContaining("StackOverflowError");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode recurse(com.fasterxml.jackson.databind.node.ObjectNode payload) {
        return recurse(payload);
    }

    /**
     * A batch of a valid row followed by {@code bad} is refused with a {@link SerializationException}
     * naming {@code bad} and {@code message}, and nothing of it is written.
     */
    private void assertRefused(RecordedEvent bad, String message) {
        RecordedEvent good = row(UUID.randomUUID(), 1);
        long before = store.globalPosition();

        assertThatThrownBy(() -> importer.importRecorded(List.of(good, bad)))
                .isInstanceOfSatisfying(SerializationException.class, e -> assertThat(e.eventId()).isEqualTo(bad.eventId()))
                .hasMessageContaining(bad.eventId().toString())
                .hasMessageContaining(message);
        assertThat(store.eventExists(good.eventId())).isFalse();
        assertThat(store.globalPosition()).isEqualTo(before);
    }

    private List<StoredEvent> readAllEvents() {
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.ALL)) {
            return events.toList();
        }
    }

    private static RecordedEvent withPayload(RecordedEvent r, String payload) {
        return new RecordedEvent(r.eventId(), r.eventType(), r.schemaVersion(), r.aggregateId(), r.aggregateType(), r.version(),
                r.globalPosition(), r.occurredAt(), r.recordedAt(), r.tenantId(), r.metadataJson(), payload);
    }

    private static RecordedEvent withNames(RecordedEvent r, String aggregateType, String eventType, String tenant) {
        return new RecordedEvent(r.eventId(), eventType, r.schemaVersion(), r.aggregateId(), aggregateType, r.version(),
                r.globalPosition(), r.occurredAt(), r.recordedAt(), tenant, r.metadataJson(), r.payloadJson());
    }

    /** Rows of an in-memory store holding every payload shape, metadata, tenants and interleaved streams. */
    // ---- A row "already there" must be the same event: same id at the same place with other content is a conflict.

    @Test
    void refuses_a_row_stored_at_its_place_with_another_payload_and_writes_none_of_its_batch() {
        UUID a = UUID.randomUUID();
        RecordedEvent stored = row(a, 1);
        importer.importRecorded(List.of(stored));
        RecordedEvent tampered = withPayload(stored, "{\"name\":\"v1\",\"revision\":1000}");
        RecordedEvent next = row(a, 2);

        assertThatThrownBy(() -> importer.importRecorded(List.of(tampered, next)))
                .isInstanceOfSatisfying(ImportConflictException.class, e -> assertThat(e.eventId()).isEqualTo(stored.eventId()))
                .hasMessageContaining("already stores that id there, but with a different payload");
        assertThat(store.eventExists(next.eventId())).isFalse();
        assertSameRows(recorded(), List.of(stored));
    }

    @Test
    void refuses_a_row_stored_at_its_place_with_another_type_schema_version_time_tenant_or_metadata_naming_the_field() {
        RecordedEvent stored = row(UUID.randomUUID(), 1);
        importer.importRecorded(List.of(stored));
        Map<String, RecordedEvent> altered = Map.of(
                "eventType", new RecordedEvent(stored.eventId(), "Created", 1, stored.aggregateId(), TYPE, 1, 0,
                        stored.occurredAt(), stored.recordedAt(), null, "{}", stored.payloadJson()),
                "schemaVersion", new RecordedEvent(stored.eventId(), stored.eventType(), 2, stored.aggregateId(), TYPE, 1, 0,
                        stored.occurredAt(), stored.recordedAt(), null, "{}", stored.payloadJson()),
                "occurredAt", new RecordedEvent(stored.eventId(), stored.eventType(), 1, stored.aggregateId(), TYPE, 1, 0,
                        stored.occurredAt().plusNanos(1000), stored.recordedAt(), null, "{}", stored.payloadJson()),
                "recordedAt", new RecordedEvent(stored.eventId(), stored.eventType(), 1, stored.aggregateId(), TYPE, 1, 0,
                        stored.occurredAt(), stored.recordedAt().minusSeconds(1), null, "{}", stored.payloadJson()),
                "tenantId", new RecordedEvent(stored.eventId(), stored.eventType(), 1, stored.aggregateId(), TYPE, 1, 0,
                        stored.occurredAt(), stored.recordedAt(), "acme", "{}", stored.payloadJson()),
                "metadata", new RecordedEvent(stored.eventId(), stored.eventType(), 1, stored.aggregateId(), TYPE, 1, 0,
                        stored.occurredAt(), stored.recordedAt(), null, "{\"actor\":\"mallory\"}", stored.payloadJson()));

        altered.forEach((field, row) -> assertThatThrownBy(() -> importer.importRecorded(List.of(row))).as(field)
                .isInstanceOf(ImportConflictException.class)
                .hasMessageContaining("but with a different " + field));
        assertSameRows(recorded(), List.of(stored));
    }

    @Test
    void skips_a_row_stored_at_its_place_whose_json_differs_only_in_whitespace_key_order_and_number_notation() {
        RecordedEvent stored = withPayload(row(UUID.randomUUID(), 1), "{\"name\":\"lamp\",\"price\":12.50,\"tags\":[1,2]}");
        importer.importRecorded(List.of(stored));
        RecordedEvent rewritten = withPayload(stored, "{ \"tags\" : [ 1, 2 ], \"price\" : 12.5, \"name\" : \"lamp\" }");

        assertThat(importer.importRecorded(List.of(rewritten))).isEqualTo(new ImportResult(0, 1));
    }

    private static List<RecordedEvent> rowsOfAnotherStore() {
        InMemoryEventStore other = new InMemoryEventStore(new EventRegistry().register(TckEvent.class));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        EventMetadata metadata = new EventMetadata("tenant-7", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                Map.of("source", "import-test", "note", "caf\u00e9 \u2615"));
        Instant past = Instant.parse("2021-06-07T08:09:10.111213Z");
        other.append(a, TYPE, List.of(new NewEvent(new TckEvent.Created("a"), UUID.randomUUID(), past, metadata)),
                ExpectedVersion.NO_STREAM);
        other.append(b, "Order", List.of(NewEvent.of(new TckEvent.Priced(new BigDecimal("12.50"), TckEvent.Channel.WEB,
                past, UUID.randomUUID()))), ExpectedVersion.NO_STREAM);
        other.append(a, TYPE, List.of(NewEvent.of(new TckEvent.Detailed(new TckEvent.Address("Main St 1", "Ghent"),
                List.of("x", "y"), Map.of("k", 3), Optional.of("n")), metadata)), ExpectedVersion.exactly(1));
        other.append(b, "Order", List.of(NewEvent.of(new TckEvent.Renamed("b", 2))), ExpectedVersion.exactly(1));
        List<RecordedEvent> rows = rowsOf(other);
        other.close();
        return rows;
    }

    private static List<RecordedEvent> rowsOf(InMemoryEventStore other) {
        try (Stream<RecordedEvent> rows = other.readRecorded(ReadOptions.ALL)) {
            return rows.toList();
        }
    }

    private static RecordedEvent row(UUID stream, long version) {
        return row(stream, version, "Renamed", "{\"name\":\"v" + version + "\",\"revision\":" + version + "}",
                Instant.parse("2022-02-02T02:02:02.000002Z").plusSeconds(version),
                Instant.parse("2022-02-02T02:02:03.000003Z").plusSeconds(version));
    }

    private static RecordedEvent row(UUID stream, long version, String eventType, String payload, Instant occurredAt,
                                     Instant recordedAt) {
        return new RecordedEvent(UUID.randomUUID(), eventType, 1, stream, TYPE, version, 1000 + version, occurredAt,
                recordedAt, null, "{}", payload);
    }

    private static RecordedEvent withId(RecordedEvent r, UUID eventId) {
        return new RecordedEvent(eventId, r.eventType(), r.schemaVersion(), r.aggregateId(), r.aggregateType(), r.version(),
                r.globalPosition(), r.occurredAt(), r.recordedAt(), r.tenantId(), r.metadataJson(), r.payloadJson());
    }

    private static List<UUID> ids(List<RecordedEvent> rows) {
        return rows.stream().map(RecordedEvent::eventId).toList();
    }

    private List<RecordedEvent> recorded() {
        try (Stream<RecordedEvent> rows = reader.readRecorded(ReadOptions.ALL)) {
            return rows.toList();
        }
    }

    /**
     * Same rows in the same order, every field but the global position (the target assigns its own)
     * equal; JSON compared as JSON, since a backend may store it in a normalized form.
     */
    private static void assertSameRows(List<RecordedEvent> actual, List<RecordedEvent> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        List<List<Object>> a = new ArrayList<>();
        List<List<Object>> e = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            a.add(comparable(actual.get(i)));
            e.add(comparable(expected.get(i)));
        }
        assertThat(a).isEqualTo(e);
    }

    private static List<Object> comparable(RecordedEvent r) {
        return List.of(r.eventId(), r.eventType(), r.schemaVersion(), r.aggregateId(), r.aggregateType(), r.version(),
                r.occurredAt(), r.recordedAt(), Optional.ofNullable(r.tenantId()), json(r.metadataJson()), json(r.payloadJson()));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("stored JSON does not parse: " + text, e);
        }
    }
}
