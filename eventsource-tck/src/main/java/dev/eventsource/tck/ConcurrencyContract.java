package dev.eventsource.tck;

import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One store shared by many threads: racing writers on one stream get exactly one winner per
 * version, writers on distinct streams never lose an event or share a position, and a
 * checkpointing reader never misses an event (see {@code docs/semantics.md}, "Appending",
 * "The global log" and "Lifecycle and threads").
 */
public abstract class ConcurrencyContract extends EventStoreFixture {

    private static final int THREADS = 8;
    private static final int ROUNDS = 20;
    /** Generous guard so a deadlocked store fails the test instead of hanging the build. */
    private static final long GUARD_MINUTES = 5;

    @Test
    void racing_writers_on_one_stream_get_exactly_one_winner_per_version() throws Exception {
        Race race = race(UUID.randomUUID());

        for (int round = 0; round < ROUNDS; round++) {
            assertThat(race.winners.get(round)).as("winners of round %d", round).hasSize(1);
        }
    }

    @Test
    void racing_losers_get_an_optimistic_lock_exception_naming_the_version_that_won() throws Exception {
        Race race = race(UUID.randomUUID());

        for (int round = 0; round < ROUNDS; round++) {
            List<Object> losses = race.losses.get(round);
            assertThat(losses).as("losers of round %d", round).hasSize(THREADS - 1);
            for (Object loss : losses) {
                assertThat(loss).isInstanceOf(OptimisticLockException.class);
                OptimisticLockException conflict = (OptimisticLockException) loss;
                assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(round));
                assertThat(conflict.actualVersion()).isEqualTo(round + 1L);
            }
        }
    }

    @Test
    void after_a_race_the_stream_holds_exactly_the_winners_events_with_contiguous_versions() throws Exception {
        UUID id = UUID.randomUUID();
        Race race = race(id);

        List<StoredEvent> events = store.getEvents(id, TYPE).events();

        List<UUID> winnerIds = race.winners.stream().flatMap(List::stream).collect(Collectors.toList());
        assertThat(events).extracting(StoredEvent::eventId).containsExactlyElementsOf(winnerIds);
        List<Long> expectedVersions = new ArrayList<>();
        for (long v = 1; v <= ROUNDS; v++) {
            expectedVersions.add(v);
        }
        assertThat(events).extracting(StoredEvent::version).containsExactlyElementsOf(expectedVersions);
        assertThat(store.globalPosition()).isEqualTo(events.get(ROUNDS - 1).globalPosition());
    }

    @Test
    void writers_on_distinct_streams_all_succeed_and_every_event_gets_a_unique_increasing_position() throws Exception {
        int appendsPerThread = 25;
        List<UUID> streams = writeConcurrently(appendsPerThread);

        List<StoredEvent> all = readAll();

        assertThat(all).hasSize(THREADS * appendsPerThread * 2);
        assertThat(positions(all)).doesNotHaveDuplicates().isSortedAccordingTo(Long::compare);
        assertThat(all).extracting(StoredEvent::eventId).doesNotHaveDuplicates();
        for (UUID id : streams) {
            List<StoredEvent> events = store.getEvents(id, TYPE).events();
            assertThat(events).hasSize(appendsPerThread * 2);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).version()).isEqualTo(i + 1L);
            }
        }
    }

    @Test
    void a_checkpointing_reader_sees_every_event_exactly_once_while_writers_append() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        List<StoredEvent> seen = new ArrayList<>();
        try {
            Future<List<UUID>> writers = pool.submit(() -> {
                try {
                    return writeConcurrently(25);
                } finally {
                    writing.set(false);
                }
            });
            long checkpoint = 0;
            boolean finalPass = false;
            while (!finalPass) {
                // One last pass after the writers stop so the reader catches up completely.
                finalPass = !writing.get();
                for (StoredEvent e : readAll(ReadOptions.builder().fromPosition(checkpoint).pageSize(7).build())) {
                    assertThat(e.globalPosition()).as("a position after checkpoint %d", checkpoint).isGreaterThan(checkpoint);
                    checkpoint = e.globalPosition();
                    seen.add(e);
                }
            }
            writers.get(GUARD_MINUTES, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }

        Set<UUID> stored = readAll().stream().map(StoredEvent::eventId).collect(Collectors.toSet());
        assertThat(stored).hasSize(THREADS * 25 * 2);
        assertThat(seen).extracting(StoredEvent::eventId).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stored);
    }

    /** THREADS writers, each appending {@code appends} two-event batches to its own stream; returns the streams. */
    private List<UUID> writeConcurrently(int appends) throws Exception {
        List<UUID> streams = new ArrayList<>();
        List<Callable<Void>> writers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < THREADS; t++) {
            UUID id = UUID.randomUUID();
            streams.add(id);
            writers.add(() -> {
                start.await();
                for (int i = 0; i < appends; i++) {
                    store.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("a", i), new TckEvent.Renamed("b", i)),
                            ExpectedVersion.exactly(2L * i));
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (Callable<Void> w : writers) {
                done.add(pool.submit(w));
            }
            start.countDown();
            for (Future<Void> f : done) {
                f.get(GUARD_MINUTES, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return streams;
    }

    /** Per round: the ids of the events that won, and what each loser got. */
    private static final class Race {
        final List<List<UUID>> winners = new ArrayList<>();
        final List<List<Object>> losses = new ArrayList<>();
    }

    /** ROUNDS rounds in which THREADS writers all append to {@code id} expecting the same version. */
    private Race race(UUID id) throws Exception {
        Race race = new Race();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long expected = round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Object>> attempts = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    NewEvent event = NewEvent.of(new TckEvent.Renamed("writer " + t, round));
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            store.append(id, TYPE, List.of(event), ExpectedVersion.exactly(expected));
                            return event.eventId();
                        } catch (RuntimeException e) {
                            return e;
                        }
                    }));
                }
                start.countDown();
                List<UUID> won = new ArrayList<>();
                List<Object> lost = new ArrayList<>();
                for (Future<Object> attempt : attempts) {
                    Object outcome = attempt.get(GUARD_MINUTES, TimeUnit.MINUTES);
                    if (outcome instanceof UUID eventId) {
                        won.add(eventId);
                    } else {
                        lost.add(outcome);
                    }
                }
                race.winners.add(won);
                race.losses.add(lost);
                if (won.isEmpty()) {
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return race;
    }
}
