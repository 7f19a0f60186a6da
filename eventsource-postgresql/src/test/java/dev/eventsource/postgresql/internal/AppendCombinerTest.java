package dev.eventsource.postgresql.internal;

import dev.eventsource.store.AppendResult;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The combiner's protocol, with statements the test runs (no database): every request ends exactly
 * once, no more statements than allowed are in flight, a statement never carries two requests of
 * one lock or one event id, and a failed statement hands its requests back instead of failing them.
 * {@code PostgreSQLCombinedAppendTest} runs the real statement.
 */
class AppendCombinerTest {

    private static final int THREADS = 12;
    private static final int PER_THREAD = 300;

    @Test
    void concurrent_requests_are_combined_each_ends_once_and_the_leaders_stay_within_their_bound() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger largestBatch = new AtomicInteger();
        AtomicLong position = new AtomicLong();
        Set<String> badBatches = ConcurrentHashMap.newKeySet();
        AppendCombiner combiner = new AppendCombiner(2, 5, (c, requests) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            largestBatch.accumulateAndGet(requests.size(), Math::max);
            Set<Long> locks = new HashSet<>();
            Set<UUID> ids = new HashSet<>();
            for (AppendCombiner.Request r : requests) {
                if (!locks.add(r.lockKey) || !ids.add(r.eventId)) {
                    badBatches.add(requests.toString());
                }
            }
            sleepMillis(1);
            for (AppendCombiner.Request r : requests) {
                // Every third request is "not inserted": it must come back as null, for the careful path.
                if ((Long) r.append % 3 != 0) {
                    r.finish(new AppendResult(1, position.incrementAndGet()));
                }
            }
            inFlight.decrementAndGet();
        });
        List<List<Object>> results = runThreads(PER_THREAD, (t, n) -> combiner.append(null,
                new AppendCombiner.Request(t % 4, UUID.randomUUID(), n)));

        assertThat(badBatches).as("batches with two requests of one lock or id").isEmpty();
        assertThat(mostInFlight.get()).isBetween(1, 2);
        assertThat(largestBatch.get()).as("requests were combined").isGreaterThan(1);
        Set<Long> positions = new HashSet<>();
        int handedBack = 0;
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < PER_THREAD; i++) {
                AppendResult result = (AppendResult) results.get(t).get(i);
                long n = (long) t * PER_THREAD + i;
                if (n % 3 == 0) {
                    assertThat(result).as("request %d was not inserted", n).isNull();
                    handedBack++;
                } else {
                    assertThat(result).as("request %d", n).isNotNull();
                    assertThat(positions.add(result.globalPosition())).as("position given twice").isTrue();
                }
            }
        }
        assertThat(positions).hasSize(THREADS * PER_THREAD - handedBack);
        assertThat(position.get()).isEqualTo(positions.size());
    }

    @Test
    void a_failed_combined_statement_hands_every_request_back_and_a_failed_lone_one_throws_to_its_thread() throws Exception {
        AtomicInteger combinedFailures = new AtomicInteger();
        AppendCombiner combiner = new AppendCombiner(1, 8, (c, requests) -> {
            if (requests.size() > 1) {
                combinedFailures.incrementAndGet();
                sleepMillis(1);
                throw new SQLException("the statement failed", "08006");
            }
            // A lone statement takes a moment too, so that requests queue behind it and later ones are combined.
            sleepMillis(1);
            long n = (Long) requests.get(0).append;
            if (n % 2 == 0) {
                throw new SQLException("request " + n + " failed alone", "22P02");
            }
            requests.get(0).finish(new AppendResult(1, n + 1));
        });
        List<List<Object>> outcomes = runThreads(100, (t, n) -> {
            try {
                return String.valueOf(combiner.append(null, new AppendCombiner.Request(n, UUID.randomUUID(), n)));
            } catch (SQLException e) {
                return e.getMessage();
            }
        });

        assertThat(combinedFailures.get()).as("some statements were combined, and failed").isPositive();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < 100; i++) {
                long n = (long) t * 100 + i;
                Object outcome = outcomes.get(t).get(i);
                // Each request ends one of three ways: run alone (result or its own failure) or handed back (null).
                if (n % 2 == 0) {
                    assertThat(outcome).as("request %d", n).isIn("request " + n + " failed alone", "null");
                } else {
                    assertThat(outcome).as("request %d", n).isIn(new AppendResult(1, n + 1).toString(), "null");
                }
            }
        }
    }

    @Test
    void while_a_statement_is_in_flight_a_second_starts_only_for_two_waiting_appends() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<List<Long>> statements = new CopyOnWriteArrayList<>();
        AppendCombiner combiner = new AppendCombiner(2, 8, (c, requests) -> {
            statements.add(requests.stream().map(r -> (Long) r.append).toList());
            if (requests.get(0).append.equals(1L)) {
                firstRunning.countDown();
                try {
                    releaseFirst.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            requests.forEach(r -> r.finish(new AppendResult(1, (Long) r.append)));
        });
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<AppendResult> first = pool.submit(() -> combiner.append(null, new AppendCombiner.Request(1, UUID.randomUUID(), 1L)));
            assertThat(firstRunning.await(60, TimeUnit.SECONDS)).isTrue();
            Future<AppendResult> second = pool.submit(() -> combiner.append(null, new AppendCombiner.Request(2, UUID.randomUUID(), 2L)));
            // Alone beside a statement in flight, the second append waits in the queue instead of starting one of its own.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (combiner.waiting() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Future<AppendResult> third = pool.submit(() -> combiner.append(null, new AppendCombiner.Request(3, UUID.randomUUID(), 3L)));

            // Two waiting: they go together, while the first statement is still in flight.
            assertThat(third.get(60, TimeUnit.SECONDS)).isEqualTo(new AppendResult(1, 3));
            assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(new AppendResult(1, 2));
            assertThat(first.isDone()).isFalse();
            releaseFirst.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(new AppendResult(1, 1));
            assertThat(statements).containsExactly(List.of(1L), List.of(2L, 3L));
        } finally {
            releaseFirst.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void refuses_a_bound_below_one() {
        assertThatThrownBy(() -> new AppendCombiner(0, 4, (c, r) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new AppendCombiner(1, 0, (c, r) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    /** What thread {@code t} does with its request number {@code n}. */
    @FunctionalInterface
    private interface Outcome {
        Object of(int t, long n) throws Exception;
    }

    /**
     * Runs {@code perThread} requests on each of {@link #THREADS} threads, all starting together;
     * request {@code n} of thread {@code t} is number {@code t * perThread + i}. Returns the outcomes by thread.
     */
    private static List<List<Object>> runThreads(int perThread, Outcome outcome) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Object>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Object> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(outcome.of(thread, (long) thread * perThread + i));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<List<Object>> outcomes = new ArrayList<>();
            for (Future<List<Object>> f : futures) {
                outcomes.add(f.get(120, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
