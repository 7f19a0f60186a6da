package dev.eventsource.tck;

import dev.eventsource.store.LogStatistics;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedEventReader;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.StreamPage;
import dev.eventsource.store.StreamSummary;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The summaries of {@link RecordedEventReader}: {@code listStreams} and {@code statistics} count
 * what a read of the same filter returns. Each case is checked against known numbers and against
 * the interface's default (a plain scan of {@code readRecorded}), so a store's aggregate queries
 * must agree with its own rows.
 */
public abstract class StreamListingContract extends EventStoreFixture {

    private RecordedLog log;
    private UUID first;
    private UUID second;
    private UUID third;

    @BeforeEach
    void threeStreamsInterleaved() {
        log = store.recordedLog().orElseThrow(() -> new AssertionError(store + " hands out no recorded log"));
        first = UUID.randomUUID();
        second = UUID.randomUUID();
        third = UUID.randomUUID();
        append(first, new TckEvent.Created("a"));                                // 1
        append(second, new TckEvent.Created("b"));                               // 2
        append(first, new TckEvent.Renamed("a", 2));                             // 3
        TenantScopedEventStore.of(store, TenantId.of("acme"))
                .appendEvents(third, "Other", List.of(new TckEvent.Created("c")), dev.eventsource.store.ExpectedVersion.ANY); // 4
        append(first, new TckEvent.Renamed("a", 3));                             // 5
    }

    /** The interface's defaults over the same rows: the reference the store's own queries must match. */
    private RecordedEventReader scanning() {
        return new RecordedEventReader() {
            @Override
            public Stream<RecordedEvent> readRecorded(ReadOptions options) {
                return log.readRecorded(options);
            }

            @Override
            public RecordedStream readRecordedStream(StreamId stream, long afterVersion) {
                return log.readRecordedStream(stream, afterVersion);
            }
        };
    }

    @Test
    void streams_are_listed_in_the_order_they_were_started_with_their_version_and_count() {
        StreamPage page = log.listStreams(ReadOptions.ALL, 0, 10);

        assertThat(page.total()).isEqualTo(3);
        assertThat(page.streams()).extracting(s -> s.stream().aggregateId()).containsExactly(first, second, third);
        StreamSummary a = page.streams().get(0);
        assertThat(a.version()).isEqualTo(3);
        assertThat(a.events()).isEqualTo(3);
        assertThat(a.stream().aggregateType()).isEqualTo(TYPE);
        assertThat(page.streams()).extracting(StreamSummary::firstPosition).isSorted();
        assertThat(page).isEqualTo(scanning().listStreams(ReadOptions.ALL, 0, 10));
    }

    /** A page of hundreds of streams (a store may answer it another way than a short page) counts the same. */
    @Test
    void a_page_of_hundreds_of_streams_agrees_with_the_rows() {
        for (int i = 0; i < 620; i++) {
            UUID stream = UUID.randomUUID();
            append(stream, new TckEvent.Created("s" + i));
            if (i % 3 == 0) {
                append(stream, new TckEvent.Renamed("s" + i, 2));
            }
        }
        ReadOptions renamed = ReadOptions.builder().eventTypes("Renamed").build();

        StreamPage all = log.listStreams(ReadOptions.ALL, 0, 1_000);
        assertThat(all.streams()).hasSize(623);
        assertThat(all).isEqualTo(scanning().listStreams(ReadOptions.ALL, 0, 1_000));
        assertThat(log.listStreams(ReadOptions.ALL, 10, 600)).isEqualTo(scanning().listStreams(ReadOptions.ALL, 10, 600));
        assertThat(log.listStreams(renamed, 0, 1_000)).isEqualTo(scanning().listStreams(renamed, 0, 1_000));
        assertThat(log.listStreams(renamed, 0, 1_000).streams()).hasSize(208);
    }

    @Test
    void a_page_is_cut_by_offset_and_limit_while_the_total_counts_every_stream() {
        StreamPage page = log.listStreams(ReadOptions.ALL, 1, 1);

        assertThat(page.total()).isEqualTo(3);
        assertThat(page.streams()).extracting(s -> s.stream().aggregateId()).containsExactly(second);
        assertThat(log.listStreams(ReadOptions.ALL, 3, 5).streams()).isEmpty();
        assertThat(page).isEqualTo(scanning().listStreams(ReadOptions.ALL, 1, 1));
    }

    @Test
    void the_filter_selects_the_events_counted() {
        ReadOptions others = ReadOptions.builder().aggregateTypes("Other").build();
        ReadOptions acme = ReadOptions.builder().tenantId("acme").build();

        assertThat(log.listStreams(others, 0, 10).streams()).extracting(s -> s.stream().aggregateId()).containsExactly(third);
        assertThat(log.listStreams(acme, 0, 10).total()).isEqualTo(1);
        assertThat(log.listStreams(others, 0, 10)).isEqualTo(scanning().listStreams(others, 0, 10));
        assertThat(log.listStreams(acme, 0, 10)).isEqualTo(scanning().listStreams(acme, 0, 10));
        ReadOptions later = ReadOptions.builder().fromPosition(2).build();
        assertThat(log.listStreams(later, 0, 10)).isEqualTo(scanning().listStreams(later, 0, 10));
    }

    @Test
    void statistics_count_events_streams_types_and_the_ends_of_the_log() {
        LogStatistics stats = log.statistics(ReadOptions.ALL);

        assertThat(stats.events()).isEqualTo(5);
        assertThat(stats.streams()).isEqualTo(3);
        assertThat(stats.byAggregateType()).containsEntry(TYPE, 4L).containsEntry("Other", 1L).hasSize(2);
        assertThat(stats.byEventType().values()).containsExactlyInAnyOrder(2L, 3L);
        assertThat(stats.lastPosition()).isEqualTo(log.globalPosition());
        assertThat(stats.firstPosition()).isLessThan(stats.lastPosition());
        assertThat(stats).isEqualTo(scanning().statistics(ReadOptions.ALL));
        ReadOptions acme = ReadOptions.builder().tenantId("acme").build();
        assertThat(log.statistics(acme)).isEqualTo(scanning().statistics(acme));
        assertThat(log.statistics(acme).events()).isEqualTo(1);
    }

    @Test
    void an_empty_selection_has_no_streams_and_zero_counts() {
        ReadOptions none = ReadOptions.builder().aggregateTypes("Nothing").build();

        assertThat(log.listStreams(none, 0, 10)).isEqualTo(new StreamPage(0, List.of()));
        LogStatistics stats = log.statistics(none);
        assertThat(stats.events()).isZero();
        assertThat(stats.streams()).isZero();
        assertThat(stats.firstEventAt()).isNull();
        assertThat(stats).isEqualTo(scanning().statistics(none));
    }

    @Test
    void a_backward_or_limited_filter_and_a_bad_page_are_refused() {
        assertThatThrownBy(() -> log.listStreams(ReadOptions.builder().direction(ReadDirection.BACKWARD).build(), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forward");
        assertThatThrownBy(() -> log.statistics(ReadOptions.builder().limit(3).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no limit");
        assertThatThrownBy(() -> log.listStreams(ReadOptions.ALL, -1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> log.listStreams(ReadOptions.ALL, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }
}
