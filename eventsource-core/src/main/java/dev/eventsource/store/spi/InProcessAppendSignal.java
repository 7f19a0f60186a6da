package dev.eventsource.store.spi;

import dev.eventsource.store.StoreObserver;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link AppendSignal} of one store, fed by its appends as a {@link StoreObserver}. */
final class InProcessAppendSignal implements AppendSignal, StoreObserver {

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Registration onAppend(Runnable listener) {
        Runnable registered = Objects.requireNonNull(listener, "listener")::run;
        listeners.add(registered);
        return () -> listeners.remove(registered);
    }

    @Override
    public Observation appending(UUID aggregateId, String aggregateType, int events) {
        return events == 0 || listeners.isEmpty() ? Observation.NONE : new Observation() {
            @Override
            public void succeeded(int written) {
                for (Runnable listener : listeners) {
                    try {
                        listener.run();
                    } catch (RuntimeException ignored) {
                        // The append has committed; a broken listener must not turn it into a reported failure.
                    }
                }
            }

            @Override
            public void failed(Throwable error) {
            }
        };
    }

    @Override
    public String toString() {
        return "AppendSignal(" + listeners.size() + " listeners)";
    }
}
