package dev.eventsource.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Several observers as one; see {@link StoreObserver#of}. */
final class CompositeStoreObserver implements StoreObserver {

    private final List<StoreObserver> observers;

    CompositeStoreObserver(List<StoreObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public Observation appending(UUID aggregateId, String aggregateType, int events) {
        return start(o -> o.appending(aggregateId, aggregateType, events));
    }

    @Override
    public Observation readingStream(UUID aggregateId, String aggregateType) {
        return start(o -> o.readingStream(aggregateId, aggregateType));
    }

    @Override
    public Observation readingPage(ReadOptions options, int max) {
        return start(o -> o.readingPage(options, max));
    }

    private Observation start(Function<StoreObserver, Observation> begin) {
        List<Observation> started = new ArrayList<>(observers.size());
        for (StoreObserver observer : observers) {
            try {
                started.add(begin.apply(observer));
            } catch (RuntimeException | Error e) {
                // The operation will not run: end what already began (a tracing span, say), so nothing leaks.
                new Started(started).failed(e);
                throw e;
            }
        }
        return new Started(started);
    }

    @Override
    public String toString() {
        return "StoreObserver.of" + observers;
    }

    private record Started(List<Observation> observations) implements Observation {
        @Override
        public void succeeded(int events) {
            for (Observation o : observations) {
                try {
                    o.succeeded(events);
                } catch (RuntimeException ignored) {
                    // The work is done; one broken observer must neither fail it nor silence the others.
                }
            }
        }

        @Override
        public void failed(Throwable error) {
            for (Observation o : observations) {
                try {
                    o.failed(error);
                } catch (RuntimeException ignored) {
                    // The caller gets the operation's own error, not an observer's.
                }
            }
        }
    }
}
