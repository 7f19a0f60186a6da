package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The global-read role: one log in global position order, 1-based strictly increasing positions,
 * exclusive {@code fromPosition} both ways, limits, filters, and lazy paging that holds neither
 * memory nor a connection between pages (see {@code docs/semantics.md}, "The global log").
 */
public abstract class GlobalReadContract extends EventStoreFixture {

    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00.000001Z");

    @Test
    void global_position_is_zero_on_an_empty_store() {
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void reading_an_empty_store_returns_nothing() {
        assertThat(readAll()).isEmpty();
    }

    @Test
    void positions_start_at_one_and_strictly_increase() {
        streamWith(3);
        streamWith(2);

        List<Long> positions = positions(readAll());

        assertThat(positions).hasSize(5).first().isEqualTo(1L);
        assertThat(positions).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }

    @Test
    void read_all_returns_the_events_of_every_stream_in_the_order_they_were_appended() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        append(a, new TckEvent.Created("a1"));
        append(b, new TckEvent.Created("b1"), new TckEvent.Renamed("b2", 2));
        append(a, new TckEvent.Renamed("a2", 2));

        List<StoredEvent> all = readAll();

        assertThat(payloads(all)).containsExactly(new TckEvent.Created("a1"), new TckEvent.Created("b1"),
                new TckEvent.Renamed("b2", 2), new TckEvent.Renamed("a2", 2));
        assertThat(all).extracting(StoredEvent::aggregateId).containsExactly(a, b, b, a);
    }

    @Test
    void global_position_is_the_position_of_the_last_event() {
        streamWith(2);
        streamWith(3);

        List<StoredEvent> all = readAll();

        assertThat(store.globalPosition()).isEqualTo(all.get(all.size() - 1).globalPosition());
    }

    @Test
    void from_position_is_exclusive_reading_forward() {
        streamWith(5);
        List<Long> all = positions(readAll());

        List<Long> after = positions(readAll(ReadOptions.builder().fromPosition(all.get(1)).build()));

        assertThat(after).isEqualTo(all.subList(2, 5));
    }

    @Test
    void from_position_at_the_last_event_reads_nothing_forward() {
        streamWith(3);
        List<StoredEvent> all = readAll();

        assertThat(readAll(ReadOptions.builder().fromPosition(all.get(2).globalPosition()).build())).isEmpty();
    }

    @Test
    void a_backward_read_returns_the_newest_event_first() {
        streamWith(4);
        List<Long> forward = positions(readAll());

        List<Long> backward = positions(readAll(ReadOptions.builder().direction(ReadDirection.BACKWARD).build()));

        assertThat(backward).containsExactly(forward.get(3), forward.get(2), forward.get(1), forward.get(0));
    }

    @Test
    void from_position_is_exclusive_reading_backward() {
        streamWith(5);
        List<Long> all = positions(readAll());

        List<Long> before = positions(readAll(ReadOptions.builder().direction(ReadDirection.BACKWARD)
                .fromPosition(all.get(3)).build()));

        assertThat(before).containsExactly(all.get(2), all.get(1), all.get(0));
    }

    @Test
    void limit_caps_a_forward_read_at_the_oldest_events() {
        streamWith(5);
        List<Long> all = positions(readAll());

        List<Long> limited = positions(readAll(ReadOptions.builder().limit(2).build()));

        assertThat(limited).isEqualTo(all.subList(0, 2));
    }

    @Test
    void limit_caps_a_backward_read_at_the_newest_events() {
        streamWith(5);
        List<Long> all = positions(readAll());

        List<Long> limited = positions(readAll(ReadOptions.builder().direction(ReadDirection.BACKWARD).limit(2).build()));

        assertThat(limited).containsExactly(all.get(4), all.get(3));
    }

    @Test
    void limit_applies_after_from_position() {
        streamWith(6);
        List<Long> all = positions(readAll());

        List<Long> page = positions(readAll(ReadOptions.builder().fromPosition(all.get(1)).limit(3).build()));

        assertThat(page).isEqualTo(all.subList(2, 5));
    }

    @Test
    void filters_by_event_type() {
        UUID id = UUID.randomUUID();
        append(id, new TckEvent.Created("a"), new TckEvent.Renamed("b", 2), new TckEvent.Renamed("c", 3));

        List<StoredEvent> renamed = readAll(ReadOptions.builder().eventTypes("Renamed").build());

        assertThat(renamed).extracting(StoredEvent::eventType).containsExactly("Renamed", "Renamed");
    }

    @Test
    void filters_by_any_of_several_event_types() {
        UUID id = UUID.randomUUID();
        append(id, new TckEvent.Created("a"), new TckEvent.Renamed("b", 2), new OddEvents.Named("c"));

        List<StoredEvent> selected = readAll(ReadOptions.builder().eventTypes("Created", "tck.Named").build());

        assertThat(selected).extracting(StoredEvent::eventType).containsExactly("Created", "tck.Named");
    }

    @Test
    void filters_by_aggregate_type() {
        store.appendEvents(UUID.randomUUID(), "Order", List.of(new TckEvent.Created("o1")), ExpectedVersion.ANY);
        store.appendEvents(UUID.randomUUID(), "Invoice", List.of(new TckEvent.Created("i1")), ExpectedVersion.ANY);
        store.appendEvents(UUID.randomUUID(), "Order", List.of(new TckEvent.Created("o2")), ExpectedVersion.ANY);

        List<StoredEvent> orders = readAll(ReadOptions.builder().aggregateTypes("Order").build());

        assertThat(payloads(orders)).containsExactly(new TckEvent.Created("o1"), new TckEvent.Created("o2"));
    }

    @Test
    void filters_by_any_of_several_aggregate_types() {
        store.appendEvents(UUID.randomUUID(), "Order", List.of(new TckEvent.Created("o")), ExpectedVersion.ANY);
        store.appendEvents(UUID.randomUUID(), "Invoice", List.of(new TckEvent.Created("i")), ExpectedVersion.ANY);
        store.appendEvents(UUID.randomUUID(), "Customer", List.of(new TckEvent.Created("c")), ExpectedVersion.ANY);

        List<StoredEvent> selected = readAll(ReadOptions.builder().aggregateTypes("Order", "Customer").build());

        assertThat(selected).extracting(StoredEvent::aggregateType).containsExactly("Order", "Customer");
    }

    @Test
    void filters_by_tenant() {
        appendWith(new TckEvent.Created("a1"), T0, "tenant-a");
        appendWith(new TckEvent.Created("b1"), T0, "tenant-b");
        appendWith(new TckEvent.Created("none"), T0, null);
        appendWith(new TckEvent.Created("a2"), T0, "tenant-a");

        List<StoredEvent> tenantA = readAll(ReadOptions.builder().tenantId("tenant-a").build());

        assertThat(payloads(tenantA)).containsExactly(new TckEvent.Created("a1"), new TckEvent.Created("a2"));
    }

    @Test
    void a_time_window_includes_events_at_both_bounds() {
        for (int i = 0; i < 5; i++) {
            appendWith(new TckEvent.Renamed("at", i), T0.plusSeconds(i), null);
        }

        List<StoredEvent> window = readAll(ReadOptions.builder()
                .fromTimestamp(T0.plusSeconds(1)).toTimestamp(T0.plusSeconds(3)).build());

        assertThat(payloads(window)).containsExactly(
                new TckEvent.Renamed("at", 1), new TckEvent.Renamed("at", 2), new TckEvent.Renamed("at", 3));
    }

    @Test
    void a_time_window_excludes_events_one_microsecond_outside_it() {
        appendWith(new TckEvent.Renamed("before", 1), T0.minusNanos(1_000), null);
        appendWith(new TckEvent.Renamed("inside", 2), T0, null);
        appendWith(new TckEvent.Renamed("after", 3), T0.plusNanos(1_000), null);

        List<StoredEvent> window = readAll(ReadOptions.builder().fromTimestamp(T0).toTimestamp(T0).build());

        assertThat(payloads(window)).containsExactly(new TckEvent.Renamed("inside", 2));
    }

    @Test
    void time_bounds_finer_than_a_microsecond_are_truncated_to_microseconds_like_stored_times() {
        appendWith(new TckEvent.Renamed("before", 1), T0.minusNanos(1_000), null);
        appendWith(new TckEvent.Renamed("inside", 2), T0.plusNanos(999), null);
        appendWith(new TckEvent.Renamed("after", 3), T0.plusNanos(1_000), null);

        List<StoredEvent> window = readAll(ReadOptions.builder()
                .fromTimestamp(T0.plusNanos(500)).toTimestamp(T0.plusNanos(999)).build());

        assertThat(payloads(window)).containsExactly(new TckEvent.Renamed("inside", 2));
        assertThat(payloads(readAll(ReadOptions.builder().fromTimestamp(T0.minusNanos(1)).build())))
                .as("a lower bound 1 ns below a microsecond keeps the event of the microsecond below")
                .startsWith(new TckEvent.Renamed("before", 1));
        assertThat(payloads(readAll(ReadOptions.builder().toTimestamp(T0.plusNanos(1_999)).build())))
                .as("an upper bound 1 ns below a microsecond keeps the event of that microsecond")
                .endsWith(new TckEvent.Renamed("after", 3));
    }

    @Test
    void time_bounds_as_far_out_as_instant_min_and_max_select_the_same_events_on_every_backend() {
        appendWith(new TckEvent.Renamed("first day", 1), Instant.parse("0001-01-01T00:00:00Z"), null);
        appendWith(new TckEvent.Renamed("now", 2), T0, null);
        appendWith(new TckEvent.Renamed("last moment", 3), Instant.parse("9999-12-31T23:59:59.999999Z"), null);

        assertThat(readAll(ReadOptions.builder().fromTimestamp(Instant.MIN).toTimestamp(Instant.MAX).build())).hasSize(3);
        assertThat(readAll(ReadOptions.builder().toTimestamp(Instant.MIN).build())).isEmpty();
        assertThat(readAll(ReadOptions.builder().fromTimestamp(Instant.MAX).build())).isEmpty();
        assertThat(payloads(readAll(ReadOptions.builder().fromTimestamp(Instant.parse("-0001-06-01T00:00:00Z"))
                .toTimestamp(Instant.parse("0001-01-01T00:00:00Z")).build())))
                .containsExactly(new TckEvent.Renamed("first day", 1));
        assertThat(payloads(readAll(ReadOptions.builder().fromTimestamp(Instant.parse("9999-12-31T23:59:59.999999Z"))
                .toTimestamp(Instant.parse("+300000-01-01T00:00:00Z")).build())))
                .containsExactly(new TckEvent.Renamed("last moment", 3));
    }

    @Test
    void from_timestamp_alone_keeps_later_events() {
        for (int i = 0; i < 3; i++) {
            appendWith(new TckEvent.Renamed("at", i), T0.plusSeconds(i), null);
        }

        List<StoredEvent> later = readAll(ReadOptions.builder().fromTimestamp(T0.plusSeconds(1)).build());

        assertThat(payloads(later)).containsExactly(new TckEvent.Renamed("at", 1), new TckEvent.Renamed("at", 2));
    }

    @Test
    void to_timestamp_alone_keeps_earlier_events() {
        for (int i = 0; i < 3; i++) {
            appendWith(new TckEvent.Renamed("at", i), T0.plusSeconds(i), null);
        }

        List<StoredEvent> earlier = readAll(ReadOptions.builder().toTimestamp(T0.plusSeconds(1)).build());

        assertThat(payloads(earlier)).containsExactly(new TckEvent.Renamed("at", 0), new TckEvent.Renamed("at", 1));
    }

    @Test
    void filters_combine_so_an_event_must_match_all_of_them() {
        appendWith(new TckEvent.Created("match"), T0, "t1");
        appendWith(new TckEvent.Renamed("wrong type", 2), T0, "t1");
        appendWith(new TckEvent.Created("wrong tenant"), T0, "t2");
        appendWith(new TckEvent.Created("too late"), T0.plusSeconds(60), "t1");
        store.append(UUID.randomUUID(), "Other", List.of(NewEvent.of(new TckEvent.Created("wrong aggregate"))
                .withOccurredAt(T0).withMetadata(EventMetadata.EMPTY.withTenantId("t1"))), ExpectedVersion.ANY);

        List<StoredEvent> selected = readAll(ReadOptions.builder().eventTypes("Created").aggregateTypes(TYPE)
                .tenantId("t1").fromTimestamp(T0).toTimestamp(T0.plusSeconds(1)).build());

        assertThat(payloads(selected)).containsExactly(new TckEvent.Created("match"));
    }

    @Test
    void filters_combine_with_from_position_limit_and_direction() {
        for (int i = 1; i <= 8; i++) {
            append(UUID.randomUUID(), i % 2 == 0 ? new TckEvent.Renamed("even", i) : new TckEvent.Created("odd"));
        }
        List<StoredEvent> renamed = readAll(ReadOptions.builder().eventTypes("Renamed").build());

        List<StoredEvent> selected = readAll(ReadOptions.builder().eventTypes("Renamed").direction(ReadDirection.BACKWARD)
                .fromPosition(renamed.get(3).globalPosition()).limit(2).build());

        assertThat(payloads(selected)).containsExactly(new TckEvent.Renamed("even", 6), new TckEvent.Renamed("even", 4));
    }

    // Paging.

    @Test
    void a_page_size_smaller_than_the_result_still_reads_every_event() {
        streamWith(7);

        List<StoredEvent> paged = readAll(ReadOptions.builder().pageSize(2).build());

        assertThat(paged).hasSize(7);
        assertThat(positions(paged)).isEqualTo(positions(readAll()));
    }

    @Test
    void a_backward_read_with_a_small_page_size_reads_every_event() {
        streamWith(7);
        List<Long> forward = positions(readAll());

        List<Long> backward = positions(readAll(ReadOptions.builder().direction(ReadDirection.BACKWARD).pageSize(3).build()));

        assertThat(backward).hasSize(7).containsExactlyInAnyOrderElementsOf(forward).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    }

    @Test
    void a_filtered_read_finds_matches_beyond_many_pages_of_non_matching_events() {
        UUID id = UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            append(id, new TckEvent.Renamed("noise", i));
        }
        append(id, new TckEvent.Created("needle"));

        List<StoredEvent> found = readAll(ReadOptions.builder().eventTypes("Created").pageSize(3).build());

        assertThat(payloads(found)).containsExactly(new TckEvent.Created("needle"));
    }

    @Test
    void a_limit_spanning_several_pages_returns_exactly_the_limit() {
        streamWith(10);

        List<StoredEvent> limited = readAll(ReadOptions.builder().pageSize(3).limit(7).build());

        assertThat(limited).hasSize(7);
    }

    @Test
    void a_large_store_is_read_in_pages_without_keeping_consumed_events_in_memory() {
        int batches = 100;
        int batchSize = 1_000;
        for (int b = 0; b < batches; b++) {
            List<DomainEvent> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(new TckEvent.Renamed("bulk", b * batchSize + i));
            }
            store.appendEvents(UUID.randomUUID(), TYPE, batch, ExpectedVersion.NO_STREAM);
        }
        List<WeakReference<StoredEvent>> early = new ArrayList<>();
        long count = 0;
        long last = 0;
        boolean earlyEventsCollectable = false;
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().pageSize(100).build())) {
            Iterator<StoredEvent> it = events.iterator();
            while (it.hasNext()) {
                StoredEvent e = it.next();
                assertThat(e.globalPosition()).isGreaterThan(last);
                last = e.globalPosition();
                if (count < 100) {
                    early.add(new WeakReference<>(e));
                }
                count++;
                if (count == 10_000) {
                    // A reader that materializes the whole result keeps every event reachable.
                    earlyEventsCollectable = allCollectedAfterGc(early);
                }
            }
        }

        assertThat(count).isEqualTo((long) batches * batchSize);
        assertThat(earlyEventsCollectable)
                .as("events consumed 100 pages ago are garbage collectable (the read holds only its current page)")
                .isTrue();
    }

    @Test
    void appends_made_while_a_read_is_half_consumed_succeed_and_appear_at_its_end() throws Exception {
        UUID id = streamWith(10);
        List<StoredEvent> seen = new ArrayList<>();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().pageSize(3).build())) {
            Iterator<StoredEvent> it = events.iterator();
            for (int i = 0; i < 4; i++) {
                seen.add(it.next());
            }
            // A generous guard: a read holding a lock or connection between pages would block this append forever.
            writer.submit(() -> append(id, new TckEvent.Renamed("during", 11), new TckEvent.Renamed("during", 12)))
                    .get(2, TimeUnit.MINUTES);
            it.forEachRemaining(seen::add);
        } finally {
            writer.shutdownNow();
        }

        assertThat(seen).hasSize(12);
        assertThat(payloads(seen.subList(10, 12)))
                .containsExactly(new TckEvent.Renamed("during", 11), new TckEvent.Renamed("during", 12));
    }

    @Test
    void closing_a_read_early_leaves_the_store_usable() {
        UUID id = streamWith(10);
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().pageSize(3).build())) {
            assertThat(events.iterator().next().version()).isEqualTo(1);
        }

        append(id, new TckEvent.Renamed("after", 11));

        assertThat(readAll()).hasSize(11);
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(11);
    }

    @Test
    void many_reads_left_open_after_one_page_do_not_exhaust_the_store() {
        UUID id = streamWith(5);
        for (int i = 0; i < 50; i++) {
            // Deliberately not closed: a read must not pin a connection between pages.
            Iterator<StoredEvent> abandoned = store.readAll(ReadOptions.builder().pageSize(2).build()).iterator();
            assertThat(abandoned.next().version()).isEqualTo(1);
        }

        append(id, new TckEvent.Renamed("after", 6));

        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(6);
    }

    private void appendWith(DomainEvent event, Instant occurredAt, String tenant) {
        EventMetadata metadata = tenant == null ? EventMetadata.EMPTY : EventMetadata.EMPTY.withTenantId(tenant);
        store.append(UUID.randomUUID(), TYPE, List.of(NewEvent.of(event, metadata).withOccurredAt(occurredAt)),
                ExpectedVersion.NO_STREAM);
    }

    private static boolean allCollectedAfterGc(List<WeakReference<StoredEvent>> refs) {
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            if (refs.stream().allMatch(r -> r.get() == null)) {
                return true;
            }
            byte[][] pressure = new byte[64][];
            for (int i = 0; i < pressure.length; i++) {
                pressure[i] = new byte[64 * 1024];
            }
        }
        return false;
    }
}
