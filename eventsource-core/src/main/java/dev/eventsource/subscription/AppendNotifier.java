package dev.eventsource.subscription;

import dev.eventsource.store.spi.AppendSignal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A source of wake-ups for live subscriptions: it calls the given callback when events may have
 * been appended (by any process), e.g. on a PostgreSQL {@code NOTIFY}. A wake-up only makes the
 * subscriptions read the log now rather than at their next poll, so a spurious one costs one read
 * and a missed one costs at most the poll interval; it never affects what is delivered.
 */
public interface AppendNotifier extends AutoCloseable {

    /** Starts calling {@code wakeUp} on appends; called once, by the manager. */
    void start(Runnable wakeUp);

    /** Stops; called once, by the manager's shutdown. */
    @Override
    void close();

    /**
     * A notifier fed by a store's in-process {@link AppendSignal}: appends through that store
     * instance wake subscriptions at once. A new notifier per manager; it may be started once.
     */
    static AppendNotifier inProcess(AppendSignal signal) {
        Objects.requireNonNull(signal, "signal");
        return new AppendNotifier() {
            private AppendSignal.Registration registration;

            @Override
            public synchronized void start(Runnable wakeUp) {
                if (registration != null) {
                    throw new IllegalStateException("this in-process AppendNotifier was started already; create one per manager");
                }
                registration = signal.onAppend(wakeUp);
            }

            @Override
            public synchronized void close() {
                if (registration != null) {
                    registration.close();
                }
            }

            @Override
            public String toString() {
                return "AppendNotifier.inProcess(" + signal + ")";
            }
        };
    }

    /**
     * One notifier that starts and closes each of {@code notifiers}, in order: e.g. in-process
     * wake-ups plus PostgreSQL {@code LISTEN/NOTIFY}. A notifier whose close throws does not keep
     * the others open.
     */
    static AppendNotifier allOf(AppendNotifier... notifiers) {
        List<AppendNotifier> all = List.of(notifiers);
        return new AppendNotifier() {
            @Override
            public void start(Runnable wakeUp) {
                for (AppendNotifier n : all) {
                    n.start(wakeUp);
                }
            }

            @Override
            public void close() {
                RuntimeException failure = null;
                for (AppendNotifier n : all) {
                    try {
                        n.close();
                    } catch (RuntimeException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public String toString() {
                return "AppendNotifier.allOf" + new ArrayList<>(all);
            }
        };
    }
}
