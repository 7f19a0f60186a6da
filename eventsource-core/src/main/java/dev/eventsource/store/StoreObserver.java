package dev.eventsource.store;

import java.util.List;
import java.util.UUID;

/**
 * Watches what a store does, without being part of it: tracing, metrics, audit and in-process
 * append notification plug in here instead of into the store's base class.
 *
 * <p>For each operation the store calls the matching method before the work, and then exactly one
 * of {@link Observation#succeeded(int)} or {@link Observation#failed(Throwable)} on the returned
 * {@link Observation}, on the same thread, after the work (for an append: after its transaction
 * committed or failed). Every method defaults to doing nothing, so an observer overrides only what
 * it needs.
 *
 * <p>An observer must be thread-safe, return quickly and do no blocking I/O: it runs on the calling
 * thread, inside the operation. An exception thrown before the work (from {@link #appending} etc.)
 * fails the operation before anything is written; an exception thrown by {@code succeeded} or
 * {@code failed} is swallowed, because the work is done and an observer must never turn a committed
 * append into a reported failure.
 */
public interface StoreObserver {

    /** Observes nothing. */
    StoreObserver NONE = new StoreObserver() {
        @Override
        public String toString() {
            return "StoreObserver.NONE";
        }
    };

    /**
     * An append of {@code events} events to one stream is about to run; {@code succeeded} gets the
     * same count, also for an idempotent retry that wrote nothing.
     */
    default Observation appending(UUID aggregateId, String aggregateType, int events) {
        return Observation.NONE;
    }

    /** One stream is about to be read; {@code succeeded} gets the number of events read. */
    default Observation readingStream(UUID aggregateId, String aggregateType) {
        return Observation.NONE;
    }

    /**
     * One page of at most {@code max} rows of the global log is about to be read for
     * {@code options}; {@code succeeded} gets the number of rows read.
     */
    default Observation readingPage(ReadOptions options, int max) {
        return Observation.NONE;
    }

    /**
     * One observer that calls each of {@code observers}, in the order given, before the work and
     * after it; a {@code succeeded} or {@code failed} callback that throws does not keep the others
     * from being called.
     *
     * @throws NullPointerException if {@code observers} or one of them is null
     */
    static StoreObserver of(StoreObserver... observers) {
        List<StoreObserver> all = List.of(observers).stream().filter(o -> o != NONE).toList();
        return all.isEmpty() ? NONE : new CompositeStoreObserver(all);
    }

    /** The end of one observed operation; exactly one of its methods is called, once. */
    interface Observation {

        /** Nothing to do at the end. */
        Observation NONE = new Observation() {
            @Override
            public void succeeded(int events) {
            }

            @Override
            public void failed(Throwable error) {
            }
        };

        /** The operation completed; {@code events} as documented on the method that began it. */
        void succeeded(int events);

        /** The operation threw {@code error}, which the caller receives after this returns. */
        void failed(Throwable error);
    }
}
