package dev.eventsource.tck;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.SerializationException;
import dev.eventsource.store.EventLimits;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every store accepts exactly what {@link EventLimits} allows, refuses the rest before writing
 * anything, and reads back everything it accepted: names, text, JSON size, nesting and numbers,
 * and times. Appends only; {@link ImportContract} pins the same limits for imported rows.
 */
public abstract class ValidationContract extends EventStoreFixture {

    private static final String LONE_HIGH = "\uD800";
    private static final String LONE_LOW = "\uDC00";

    // Payload size, nesting and numbers.

    @Test
    void refuses_a_payload_longer_than_the_json_length_limit_and_writes_nothing() {
        String tooLong = "x".repeat(EventLimits.MAX_JSON_LENGTH);

        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(), new TckEvent.Created(tooLong)),
                SerializationException.class, "characters long");
    }

    @Test
    void stores_and_reads_back_a_payload_exactly_at_the_json_length_limit() {
        String name = "y".repeat(EventLimits.MAX_JSON_LENGTH - "{\"name\":\"\"}".length());
        UUID id = UUID.randomUUID();

        append(id, new TckEvent.Created(name));

        assertThat(store.getEvents(id, TYPE).events().get(0).event()).isEqualTo(new TckEvent.Created(name));
    }

    @Test
    void refuses_a_record_nested_deeper_than_the_depth_limit_even_after_its_class_was_written() {
        append(UUID.randomUUID(), OddEvents.Nested.ofDepth(2));

        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(), OddEvents.Nested.ofDepth(EventLimits.MAX_JSON_DEPTH + 1)),
                SerializationException.class, "nesting depth");
    }

    @Test
    void stores_and_reads_back_a_record_nested_exactly_at_the_depth_limit() {
        UUID id = UUID.randomUUID();
        OddEvents.Nested deepest = OddEvents.Nested.ofDepth(EventLimits.MAX_JSON_DEPTH);

        append(id, deepest);

        assertThat(store.getEvents(id, TYPE).events().get(0).event()).isEqualTo(deepest);
        assertThat(readAll().get(0).event()).isEqualTo(deepest);
    }

    @Test
    void refuses_a_number_longer_than_the_limit_in_plain_notation() {
        BigDecimal huge = new BigDecimal("1E+" + EventLimits.MAX_JSON_NUMBER_LENGTH);

        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(),
                new TckEvent.Priced(huge, TckEvent.Channel.WEB, Instant.EPOCH, UUID.randomUUID())),
                SerializationException.class, String.valueOf(EventLimits.MAX_JSON_NUMBER_LENGTH));
    }

    @Test
    void stores_and_reads_back_a_number_exactly_at_the_limit_in_plain_notation() {
        BigDecimal largest = new BigDecimal("1E+" + (EventLimits.MAX_JSON_NUMBER_LENGTH - 1));
        UUID id = UUID.randomUUID();

        append(id, new TckEvent.Priced(largest, TckEvent.Channel.WEB, Instant.EPOCH, null));

        TckEvent.Priced read = (TckEvent.Priced) store.getEvents(id, TYPE).events().get(0).event();
        assertThat(read.amount()).isEqualByComparingTo(largest);
    }

    // Text: NUL and unpaired surrogates, wherever a string is stored.

    @Test
    void refuses_a_lone_high_surrogate_in_a_payload_string() {
        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(), new TckEvent.Created("before" + LONE_HIGH + "after")),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_lone_low_surrogate_at_the_end_of_a_payload_string() {
        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(), new TckEvent.Created("end" + LONE_LOW)),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_surrogate_pair_in_the_wrong_order_in_a_payload_string() {
        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(), new TckEvent.Created(LONE_LOW + LONE_HIGH)),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_lone_surrogate_in_a_payload_map_key() {
        TckEvent.Detailed detailed = new TckEvent.Detailed(new TckEvent.Address("s", "c"), List.of(),
                Map.of("key" + LONE_HIGH, 1), java.util.Optional.empty());

        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(), detailed),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_lone_surrogate_in_a_metadata_extra_value() {
        assertRefusedWithNothingWritten(() -> appendWith(EventMetadata.EMPTY.withExtra("source", "import" + LONE_LOW)),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_lone_surrogate_in_a_metadata_extra_key() {
        assertRefusedWithNothingWritten(() -> appendWith(EventMetadata.EMPTY.withExtra("source" + LONE_HIGH, "import")),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_nul_in_a_metadata_extra_value() {
        assertRefusedWithNothingWritten(() -> appendWith(EventMetadata.EMPTY.withExtra("source", "a\u0000b")),
                SerializationException.class, "U+0000");
    }

    @Test
    void refuses_a_tenant_with_a_lone_surrogate() {
        assertRefusedWithNothingWritten(() -> appendWith(EventMetadata.EMPTY.withTenantId("acme" + LONE_HIGH)),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_a_tenant_with_a_nul() {
        assertRefusedWithNothingWritten(() -> appendWith(EventMetadata.EMPTY.withTenantId("acme\u0000")),
                SerializationException.class, "U+0000");
    }

    @Test
    void refuses_an_aggregate_type_with_a_lone_surrogate() {
        assertRefusedWithNothingWritten(() -> store.appendEvents(UUID.randomUUID(), "Order" + LONE_HIGH,
                List.of(new TckEvent.Created("x")), ExpectedVersion.ANY), IllegalArgumentException.class,
                "unpaired UTF-16 surrogate");
    }

    @Test
    void refuses_an_aggregate_type_with_a_nul() {
        assertRefusedWithNothingWritten(() -> store.appendEvents(UUID.randomUUID(), "Order\u0000",
                List.of(new TckEvent.Created("x")), ExpectedVersion.ANY), IllegalArgumentException.class, "U+0000");
    }

    @Test
    void refuses_to_read_a_stream_under_an_aggregate_type_that_no_store_can_hold() {
        UUID id = UUID.randomUUID();
        store.appendEvents(id, "Order?", List.of(new TckEvent.Created("x")), ExpectedVersion.ANY);

        assertThatThrownBy(() -> store.getEvents(id, "Order" + LONE_HIGH)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> store.getStreamVersion(id, "Order\u0000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0000");
    }

    @Test
    void refuses_to_filter_a_read_by_a_tenant_or_type_that_no_store_can_hold() {
        store.appendEvents(UUID.randomUUID(), TYPE, List.of(new TckEvent.Created("x")), ExpectedVersion.ANY,
                EventMetadata.EMPTY.withTenantId("acme?"));

        assertThatThrownBy(() -> readAll(ReadOptions.builder().tenantId("acme" + LONE_HIGH).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> readAll(ReadOptions.builder().aggregateTypes("Item\u0000").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
    }

    @Test
    void refuses_an_event_type_name_with_a_lone_surrogate() {
        assertRefusedWithNothingWritten(() -> append(UUID.randomUUID(), new OddEvents.SurrogateNamed("x")),
                SerializationException.class, "unpaired UTF-16 surrogate");
    }

    // Name lengths.

    @Test
    void refuses_an_aggregate_type_longer_than_the_name_limit() {
        assertRefusedWithNothingWritten(() -> store.appendEvents(UUID.randomUUID(), "A".repeat(10_000),
                List.of(new TckEvent.Created("x")), ExpectedVersion.ANY), IllegalArgumentException.class,
                "at most " + EventLimits.MAX_NAME_LENGTH);
    }

    @Test
    void refuses_a_tenant_longer_than_the_name_limit() {
        assertRefusedWithNothingWritten(() -> appendWith(EventMetadata.EMPTY.withTenantId("t".repeat(10_000))),
                SerializationException.class, "at most " + EventLimits.MAX_NAME_LENGTH);
    }

    @Test
    void stores_and_finds_an_aggregate_type_and_tenant_exactly_at_the_name_limit() {
        // Three UTF-8 bytes each: the longest key PostgreSQL's stream index has to hold.
        String type = "\u20AC".repeat(EventLimits.MAX_NAME_LENGTH);
        String tenant = "\u20AC".repeat(EventLimits.MAX_NAME_LENGTH - 1) + "t";
        UUID id = UUID.randomUUID();

        store.appendEvents(id, type, List.of(new TckEvent.Created("x")), ExpectedVersion.NO_STREAM,
                EventMetadata.EMPTY.withTenantId(tenant));

        assertThat(store.getEvents(id, type).events()).extracting(StoredEvent::tenantId).containsExactly(tenant);
        assertThat(readAll(ReadOptions.builder().aggregateTypes(type).tenantId(tenant).build())).hasSize(1);
    }

    // Times.

    @Test
    void refuses_an_occurred_at_in_year_0_before_writing() {
        assertRefusedWithNothingWritten(() -> appendAt(Instant.parse("0000-12-31T23:59:59.999999Z")),
                SerializationException.class, "occurredAt");
    }

    @Test
    void refuses_an_occurred_at_in_year_10000_before_writing() {
        assertRefusedWithNothingWritten(() -> appendAt(Instant.parse("+10000-01-01T00:00:00Z")),
                SerializationException.class, "occurredAt");
    }

    @Test
    void refuses_the_largest_and_smallest_instants_as_occurred_at_before_writing() {
        assertRefusedWithNothingWritten(() -> appendAt(Instant.MAX), SerializationException.class, "9999");
        assertRefusedWithNothingWritten(() -> appendAt(Instant.MIN), SerializationException.class, "0001");
    }

    @Test
    void stores_the_first_and_last_microsecond_of_the_storable_range() {
        UUID id = UUID.randomUUID();
        store.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Created("first")).withOccurredAt(EventLimits.MIN_TIME),
                NewEvent.of(new TckEvent.Created("last")).withOccurredAt(EventLimits.MAX_TIME.plusNanos(999))),
                ExpectedVersion.NO_STREAM);

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::occurredAt)
                .containsExactly(EventLimits.MIN_TIME, EventLimits.MAX_TIME);
        assertThat(readAll()).extracting(StoredEvent::occurredAt).containsExactly(EventLimits.MIN_TIME, EventLimits.MAX_TIME);
    }

    @Test
    void stores_edge_instants_appended_one_event_at_a_time() {
        // Single-event appends take their own statement on some backends; each instant alone, in order.
        List<Instant> times = List.of(EventLimits.MIN_TIME, Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2024-02-29T12:00:00.000001Z"), EventLimits.MAX_TIME);
        UUID id = UUID.randomUUID();
        for (int i = 0; i < times.size(); i++) {
            store.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Created("t" + i)).withOccurredAt(times.get(i))),
                    ExpectedVersion.exactly(i));
        }

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::occurredAt).containsExactlyElementsOf(times);
    }

    private void appendWith(EventMetadata metadata) {
        store.appendEvents(UUID.randomUUID(), TYPE, List.of(new TckEvent.Created("x")), ExpectedVersion.ANY, metadata);
    }

    private void appendAt(Instant occurredAt) {
        store.append(UUID.randomUUID(), TYPE, List.of(NewEvent.of(new TckEvent.Created("x")).withOccurredAt(occurredAt)),
                ExpectedVersion.ANY);
    }

    /**
     * The append is refused with {@code type} and a message containing {@code message}, and
     * nothing reached the store: its global position did not move.
     */
    private void assertRefusedWithNothingWritten(ThrowingCallable append, Class<? extends Throwable> type, String message) {
        long before = store.globalPosition();

        assertThatThrownBy(append).isInstanceOf(type).hasMessageContaining(message);

        assertThat(store.globalPosition()).isEqualTo(before);
        assertThat(readAll()).hasSize((int) before);
    }
}
