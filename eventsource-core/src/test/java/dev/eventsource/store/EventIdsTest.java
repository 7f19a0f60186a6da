package dev.eventsource.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventIdsTest {

    /** Unsigned 128-bit order, which is the order of the ids' 16 bytes in an index. */
    private static int unsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Test
    void ids_are_rfc_9562_version_7_of_the_ietf_variant() {
        for (int i = 0; i < 10_000; i++) {
            UUID id = EventIds.next();
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.toString().charAt(14)).isEqualTo('7');
            assertThat(id.toString().charAt(19)).isIn('8', '9', 'a', 'b');
        }
    }

    @Test
    void an_id_carries_the_millisecond_it_was_made_in() {
        long before = System.currentTimeMillis();
        UUID id = EventIds.next();
        long after = System.currentTimeMillis();

        // The time field may run ahead of the clock only when a millisecond's counter overflowed.
        assertThat(EventIds.timeOf(id).toEpochMilli()).isBetween(before, after + 1);
    }

    @Test
    void time_is_read_from_the_first_48_bits() {
        UUID id = UUID.fromString("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"); // RFC 9562 appendix A.6

        assertThat(EventIds.timeOf(id)).isEqualTo(Instant.parse("2022-02-22T19:22:22Z"));
    }

    @Test
    void time_of_a_random_id_is_refused_naming_its_version() {
        UUID random = UUID.fromString("919108f7-52d1-4320-9bac-f847db4148a8");

        assertThatThrownBy(() -> EventIds.timeOf(random)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a time-ordered (version 7) UUID but version 4");
    }

    @Test
    void ids_made_one_after_another_increase_even_within_a_millisecond() {
        UUID previous = EventIds.next();
        for (int i = 0; i < 100_000; i++) {
            UUID id = EventIds.next();
            assertThat(unsigned(id, previous)).as("id %d after %s", i, previous).isPositive();
            previous = id;
        }
    }

    @Test
    void ids_made_by_many_threads_at_once_are_distinct_and_increase_in_each_thread() throws Exception {
        int threads = 8;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<UUID>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<UUID> ids = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        ids.add(EventIds.next());
                    }
                    return ids;
                }));
            }
            start.countDown();
            Set<UUID> all = new HashSet<>();
            Set<Long> timeAndCounter = new HashSet<>();
            for (Future<List<UUID>> result : results) {
                List<UUID> ids = result.get();
                for (int i = 1; i < ids.size(); i++) {
                    assertThat(unsigned(ids.get(i), ids.get(i - 1))).isPositive();
                }
                all.addAll(ids);
                ids.forEach(id -> timeAndCounter.add(id.getMostSignificantBits()));
            }
            assertThat(all).hasSize(threads * perThread);
            // Time and counter alone are unique in the process: ordering never depends on the random bits.
            assertThat(timeAndCounter).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
