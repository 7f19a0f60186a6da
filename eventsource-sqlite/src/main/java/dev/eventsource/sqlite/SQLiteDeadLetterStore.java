package dev.eventsource.sqlite;

import dev.eventsource.jdbc.JdbcDeadLetterStore;

import java.util.Objects;

/**
 * The dead-letter queue in the same SQLite database as the events of a {@link SQLiteEventStore},
 * in its {@code dead_letters} table (created by the store's {@code initialize()}). Like
 * {@link SQLiteCheckpointStore} it borrows the event store's connections; each operation is one
 * short statement, writes on the writer connection under the store's write lock. Thread-safe.
 */
public final class SQLiteDeadLetterStore extends JdbcDeadLetterStore {

    /** Dead letters beside the events of {@code events}, on its connections. */
    public SQLiteDeadLetterStore(SQLiteEventStore events) {
        super(new SQLiteAccess(Objects.requireNonNull(events, "events")));
    }
}
