package dev.eventsource.subscription;

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
}
