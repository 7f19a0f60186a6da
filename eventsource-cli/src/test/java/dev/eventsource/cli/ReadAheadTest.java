package dev.eventsource.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadTest {

    @Test
    void gives_every_element_in_order_across_many_batches() {
        int n = ReadAhead.BATCH * 7 + 3;
        List<Integer> seen = new ArrayList<>();
        try (ReadAhead<Integer> ahead = ReadAhead.start("test-reader", () -> IntStream.range(0, n).boxed())) {
            while (ahead.hasNext()) {
                seen.add(ahead.next());
            }
            assertThat(ahead.hasNext()).isFalse();
            assertThatThrownBy(ahead::next).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
    }

    @Test
    void an_empty_stream_ends_at_once() {
        try (ReadAhead<Integer> ahead = ReadAhead.start("test-reader", Stream::empty)) {
            assertThat(ahead.hasNext()).isFalse();
        }
    }

    @Test
    void gives_the_elements_read_before_a_failure_then_the_same_exception() {
        IllegalStateException damaged = new IllegalStateException("row 2,500 is damaged");
        int before = ReadAhead.BATCH * 2 + 500;
        List<Integer> seen = new ArrayList<>();
        try (ReadAhead<Integer> ahead = ReadAhead.start("test-reader", () -> IntStream.range(0, before + 10).boxed().map(i -> {
            if (i == before) {
                throw damaged;
            }
            return i;
        }))) {
            assertThatThrownBy(() -> {
                while (ahead.hasNext()) {
                    seen.add(ahead.next());
                }
            }).isSameAs(damaged);
        }
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, before).boxed().toList());
    }

    @Test
    void passes_an_error_through_as_it_was_thrown() {
        StackOverflowError error = new StackOverflowError("deep");
        try (ReadAhead<Integer> ahead = ReadAhead.start("test-reader", () -> Stream.<Integer>generate(() -> {
            throw error;
        }))) {
            assertThatThrownBy(ahead::hasNext).isSameAs(error);
        }
    }

    @Test
    void a_failure_to_open_the_stream_reaches_the_caller() {
        try (ReadAhead<Integer> ahead = ReadAhead.start("test-reader", () -> {
            throw new IllegalArgumentException("no such store");
        })) {
            assertThatThrownBy(ahead::hasNext).isInstanceOf(IllegalArgumentException.class).hasMessage("no such store");
        }
    }

    @Test
    void closing_early_stops_the_reading_and_closes_the_stream_before_returning() {
        AtomicBoolean streamClosed = new AtomicBoolean();
        AtomicInteger produced = new AtomicInteger();
        ReadAhead<Integer> ahead = ReadAhead.start("test-reader",
                () -> Stream.iterate(0, i -> i + 1).peek(i -> produced.incrementAndGet()).onClose(() -> streamClosed.set(true)));
        assertThat(ahead.next()).isZero();
        ahead.close();
        assertThat(streamClosed).isTrue();
        // Reading ahead is bounded: the batch handed over, four queued and the one being filled, at most.
        assertThat(produced.get()).isBetween(1, ReadAhead.BATCH * 6 + 1);
        assertThatThrownBy(ahead::hasNext).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        ahead.close();   // twice is harmless
    }

    @Test
    void the_stream_is_opened_read_and_closed_on_the_reading_thread() {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ReadAhead<Integer> ahead = ReadAhead.start("test-reader-thread", () -> {
            threads.add(Thread.currentThread().getName());
            return Stream.of(1, 2, 3).peek(i -> threads.add(Thread.currentThread().getName()))
                    .onClose(() -> threads.add(Thread.currentThread().getName()));
        })) {
            while (ahead.hasNext()) {
                ahead.next();
            }
        }
        assertThat(threads).hasSize(5).containsOnly("test-reader-thread");
    }

    /** Many short and long runs, closed at random points while the reader is mid-batch or blocked on a full queue. */
    @Test
    void hammer_closing_at_any_point_never_loses_order_or_leaves_a_reader_running() throws Exception {
        java.util.Random random = new java.util.Random(16);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(ReadAhead.BATCH * 6);
            int stopAt = random.nextInt(n + 1);
            CountDownLatch closed = new CountDownLatch(1);
            ReadAhead<Integer> ahead = ReadAhead.start("test-reader-" + round,
                    () -> IntStream.range(0, n).boxed().onClose(closed::countDown));
            int expected = 0;
            while (expected < stopAt && ahead.hasNext()) {
                assertThat(ahead.next()).isEqualTo(expected++);
            }
            assertThat(expected).isEqualTo(stopAt);
            ahead.close();
            assertThat(closed.getCount()).as("round %d: stream closed when close() returned", round).isZero();
        }
    }
}
