package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.store.spi.RecordedLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code readRecordedPage}: one page of the global log and the position the read got to. A
 * filtered page examines at most {@link AbstractEventStore#SCAN_WINDOW} positions (a filter of two
 * event types is served by no store's index walk, so it is held to that here), so a reader that
 * keeps the page's position (a subscription, a relay) gets past rows it does not select without
 * reading them twice, and never past an event it has not been given.
 */
public abstract class RecordedPageContract extends EventStoreFixture {

    private static final long WINDOW = AbstractEventStore.SCAN_WINDOW;

    private RecordedLog log;

    @BeforeEach
    void recordedLog() {
        log = store.recordedLog().orElseThrow(() -> new AssertionError(store + " hands out no recorded log"));
    }

    @Test
    void a_filtered_reader_gets_past_rows_it_does_not_select_a_window_at_a_time_and_misses_nothing() {
        // Renamed events near the start, in the third window and last, among 3.5 windows of Created ones.
        UUID rare = UUID.randomUUID();
        long total = 3 * WINDOW + WINDOW / 2;
        List<Long> expected = List.of(2L, 2 * WINDOW + 7, total);
        List<DomainEvent> filler = new ArrayList<>();
        int renamed = 0;
        for (long p = 1; p <= total; p++) {
            if (expected.contains(p)) {
                fill(filler);
                append(rare, new TckEvent.Renamed("rare", ++renamed));
            } else {
                filler.add(new TckEvent.Created("filler"));
                if (filler.size() == 1_000) {
                    fill(filler);
                }
            }
        }
        fill(filler);
        assertThat(store.globalPosition()).isEqualTo(total);
        assertThat(positions(readAll(ReadOptions.builder().eventTypes("Renamed").build())))
                .as("a filtered readAll goes on past empty windows").isEqualTo(expected);

        // Two types: no store serves that by one index walk, so every page examines at most a window.
        ReadOptions renamedOrPriced = ReadOptions.builder().eventTypes("Renamed", "Priced").limit(10).build();
        assertThat(readPages(renamedOrPriced, total, true)).isEqualTo(expected);
        // One type: a store may walk its index to the head in one page; what it finds and where it gets are the same.
        ReadOptions renamedOnly = ReadOptions.builder().eventTypes("Renamed").limit(10).build();
        assertThat(readPages(renamedOnly, total, false)).isEqualTo(expected);

        // A poll from where the reader got to reads only what came since.
        append(UUID.randomUUID(), new TckEvent.Created("later"));
        append(rare, new TckEvent.Renamed("rare", ++renamed));
        RecordedPage later = log.readRecordedPage(renamedOrPriced.toBuilder().fromPosition(total).build());
        assertThat(later.rows()).extracting(RecordedEvent::globalPosition).containsExactly(total + 2);
        assertThat(later.position()).isEqualTo(total + 2);
        assertThat(later.atEnd()).isTrue();
    }

    /**
     * Reads {@code filter} page by page from the start, going on from each page's position until a
     * page is at the end, and checks every page against the contract; returns the positions read.
     * With {@code windowed}, every page must also have examined at most {@link #WINDOW} positions
     * and at least one must have found nothing before the end.
     */
    private List<Long> readPages(ReadOptions filter, long head, boolean windowed) {
        List<Long> found = new ArrayList<>();
        long from = 0;
        int pages = 0;
        int emptyBeforeTheEnd = 0;
        RecordedPage page;
        do {
            page = log.readRecordedPage(filter.toBuilder().fromPosition(from).build());
            pages++;
            assertThat(page.position()).as("page %d's position", pages).isGreaterThanOrEqualTo(from).isLessThanOrEqualTo(head);
            if (windowed) {
                assertThat(page.position() - from).as("positions examined by page %d", pages).isLessThanOrEqualTo(WINDOW);
            }
            for (RecordedEvent row : page.rows()) {
                assertThat(row.globalPosition()).isGreaterThan(from).isLessThanOrEqualTo(page.position());
                assertThat(filter.selectsEventType(row.eventType())).as(row.eventType()).isTrue();
                found.add(row.globalPosition());
            }
            if (page.rows().isEmpty() && !page.atEnd()) {
                emptyBeforeTheEnd++;
            }
            from = page.position();
            assertThat(pages).as("pages to read %d events", head).isLessThanOrEqualTo(10);
        } while (!page.atEnd());
        assertThat(page.position()).as("the last page got to the head").isEqualTo(head);
        if (windowed) {
            assertThat(emptyBeforeTheEnd).as("pages that found nothing in their window but were not at the end").isPositive();
        }
        return found;
    }

    /** Appends {@code events} to a new stream, and empties the list. */
    private void fill(List<DomainEvent> events) {
        if (!events.isEmpty()) {
            store.appendEvents(UUID.randomUUID(), TYPE, List.copyOf(events), ExpectedVersion.NO_STREAM);
            events.clear();
        }
    }

    @Test
    void a_page_is_one_round_trip_of_at_most_the_page_size_and_gets_to_its_last_row_when_full() {
        for (int i = 0; i < 5; i++) {
            append(UUID.randomUUID(), new TckEvent.Created("e" + i));
        }
        RecordedPage first = log.readRecordedPage(ReadOptions.builder().pageSize(3).build());
        assertThat(first.rows()).extracting(RecordedEvent::globalPosition).containsExactly(1L, 2L, 3L);
        assertThat(first.position()).isEqualTo(3);
        assertThat(first.atEnd()).isFalse();

        RecordedPage rest = log.readRecordedPage(ReadOptions.builder().pageSize(3).fromPosition(first.position()).build());
        assertThat(rest.rows()).extracting(RecordedEvent::globalPosition).containsExactly(4L, 5L);
        assertThat(rest.position()).isEqualTo(5);
        assertThat(rest.atEnd()).isTrue();

        RecordedPage limited = log.readRecordedPage(ReadOptions.builder().limit(2).build());
        assertThat(limited.rows()).extracting(RecordedEvent::globalPosition).containsExactly(1L, 2L);
        assertThat(limited.atEnd()).isFalse();

        RecordedPage beyond = log.readRecordedPage(ReadOptions.builder().fromPosition(99).build());
        assertThat(beyond.rows()).isEmpty();
        assertThat(beyond.position()).isEqualTo(99);
        assertThat(beyond.atEnd()).isTrue();
    }

    @Test
    @Timeout(60)
    void a_filtered_read_from_the_highest_positions_ends_at_once() {
        streamWith(3);
        for (long from : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - AbstractEventStore.SCAN_WINDOW}) {
            ReadOptions beyond = ReadOptions.builder().eventTypes("Renamed", "Priced").fromPosition(from).build();
            RecordedPage page = log.readRecordedPage(beyond);
            assertThat(page.rows()).isEmpty();
            assertThat(page.position()).isEqualTo(from);
            assertThat(page.atEnd()).as("a page from %d", from).isTrue();
            assertThat(readAll(beyond)).isEmpty();
        }
        assertThat(log.readRecordedPage(ReadOptions.builder().eventTypes("Renamed").build()).rows()).hasSize(2);
    }

    @Test
    void backward_pages_read_down_to_the_first_event() {
        UUID id = streamWith(5);
        List<Long> seen = new ArrayList<>();
        ReadOptions backward = ReadOptions.builder().direction(ReadDirection.BACKWARD).pageSize(2).build();
        RecordedPage page = log.readRecordedPage(backward);
        seen.addAll(page.rows().stream().map(RecordedEvent::globalPosition).toList());
        while (!page.atEnd()) {
            page = log.readRecordedPage(backward.toBuilder().fromPosition(page.position()).build());
            assertThat(page.position()).isLessThanOrEqualTo(seen.isEmpty() ? Long.MAX_VALUE : seen.get(seen.size() - 1));
            seen.addAll(page.rows().stream().map(RecordedEvent::globalPosition).toList());
        }
        List<Long> all = new ArrayList<>(positions(readAll()));
        Collections.reverse(all);
        assertThat(seen).isEqualTo(all).hasSize(5);
        assertThat(readAll()).extracting(StoredEvent::aggregateId).containsOnly(id);
    }
}
