package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.store.StoreClosedException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link ExclusiveLocks} of a backend ({@link EventStoreBackend#locks()}): two holders never
 * have one name at once, across instances on one database and within one; a lock is released by
 * its close and by the end of its holder's backend, and then another instance takes it; names are
 * independent; bad names are refused. Backends whose locks can be lost by other means (a killed
 * PostgreSQL session) test that in their own module.
 */
public abstract class ExclusiveLocksContract extends SharedDatabaseFixture {

    @Test
    void a_lock_held_by_one_instance_is_refused_to_another() {
        EventStoreBackend first = openInstance();
        EventStoreBackend second = openInstance();

        Optional<ExclusiveLock> held = first.locks().tryAcquire("relay:orders");

        assertThat(held).isPresent();
        assertThat(held.get().name()).isEqualTo("relay:orders");
        assertThat(held.get().isHeld()).isTrue();
        assertThat(second.locks().tryAcquire("relay:orders")).isEmpty();
    }

    @Test
    void a_lock_is_not_reentrant_within_one_instance() {
        EventStoreBackend instance = openInstance();

        assertThat(instance.locks().tryAcquire("relay:orders")).isPresent();
        assertThat(instance.locks().tryAcquire("relay:orders")).isEmpty();
    }

    @Test
    void different_names_are_independent() {
        EventStoreBackend first = openInstance();
        EventStoreBackend second = openInstance();

        assertThat(first.locks().tryAcquire("relay:orders")).isPresent();
        assertThat(second.locks().tryAcquire("relay:invoices")).isPresent();
    }

    @Test
    void closing_a_lock_releases_it_for_another_instance() {
        EventStoreBackend first = openInstance();
        EventStoreBackend second = openInstance();
        ExclusiveLock held = first.locks().tryAcquire("relay:orders").orElseThrow();

        held.close();

        assertThat(held.isHeld()).isFalse();
        Optional<ExclusiveLock> taken = second.locks().tryAcquire("relay:orders");
        assertThat(taken).isPresent();
        assertThat(taken.get().isHeld()).isTrue();
        assertThat(first.locks().tryAcquire("relay:orders")).isEmpty();
    }

    @Test
    void closing_a_lock_twice_is_harmless_and_does_not_release_the_next_holders_lock() {
        EventStoreBackend first = openInstance();
        EventStoreBackend second = openInstance();
        ExclusiveLock held = first.locks().tryAcquire("relay:orders").orElseThrow();
        held.close();
        ExclusiveLock next = second.locks().tryAcquire("relay:orders").orElseThrow();

        held.close();

        assertThat(next.isHeld()).isTrue();
        assertThat(first.locks().tryAcquire("relay:orders")).isEmpty();
    }

    @Test
    void another_instance_takes_over_when_the_holders_backend_ends() {
        EventStoreBackend holder = openInstance();
        EventStoreBackend standby = openInstance();
        ExclusiveLock held = holder.locks().tryAcquire("relay:orders").orElseThrow();
        assertThat(standby.locks().tryAcquire("relay:orders")).isEmpty();

        holder.close();

        assertThat(held.isHeld()).isFalse();
        assertThat(standby.locks().tryAcquire("relay:orders")).isPresent();
    }

    @Test
    void acquiring_after_the_backend_is_closed_is_refused() {
        EventStoreBackend instance = openInstance();
        instance.close();

        assertThatThrownBy(() -> instance.locks().tryAcquire("relay:orders")).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void bad_names_are_refused_with_the_fix() {
        ExclusiveLocks locks = openInstance().locks();

        assertThatThrownBy(() -> locks.tryAcquire(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("lock name");
        assertThatThrownBy(() -> locks.tryAcquire(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-blank");
        assertThatThrownBy(() -> locks.tryAcquire(" orders")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrounding blanks");
    }

    @Test
    void holders_hammering_one_name_from_two_instances_never_overlap() throws Exception {
        List<EventStoreBackend> instances = List.of(openInstance(), openInstance());
        int threads = 6;
        int rounds = 150;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        ConcurrentHashMap<Integer, Integer> byInstance = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        // Past its rounds a worker goes on until both instances have held the lock (or 30 s have passed):
        // which instance wins a short race is up to the scheduler, and one can win every round of it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t % instances.size();
            ExclusiveLocks locks = instances.get(index).locks();
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                    for (int r = 0; r < rounds || (byInstance.size() < instances.size() && System.nanoTime() < deadline); r++) {
                        Optional<ExclusiveLock> lock = locks.tryAcquire("relay:hammered");
                        if (lock.isEmpty()) {
                            Thread.yield();
                            continue;
                        }
                        try (ExclusiveLock held = lock.get()) {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            acquisitions.incrementAndGet();
                            byInstance.merge(index, 1, Integer::sum);
                            if (!held.isHeld()) {
                                overlaps.incrementAndGet();
                            }
                            inside.decrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(overlaps.get()).isZero();
        assertThat(acquisitions.get()).isPositive();
        assertThat(byInstance.keySet()).as("both instances got the lock at some point").hasSize(2);
        assertThat(openInstance().locks().tryAcquire("relay:hammered")).as("every holder released it").isPresent();
    }
}
