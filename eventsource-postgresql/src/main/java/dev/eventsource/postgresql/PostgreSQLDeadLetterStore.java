package dev.eventsource.postgresql;

import dev.eventsource.jdbc.JdbcDeadLetterStore;

import java.util.Objects;

/**
 * The dead-letter queue in the same PostgreSQL schema as the events of a
 * {@link PostgreSQLEventStore}, in its {@code <prefix>dead_letters} table (created by the store's
 * {@code initialize()}). Like {@link PostgreSQLCheckpointStore} it borrows the store's data source,
 * schema and prefix, and refuses every call once that store is closed. Each operation is one
 * autocommit statement; {@link #add} is an upsert on (subscription, event id), so racing adds of
 * one event keep one entry. Thread-safe.
 */
public final class PostgreSQLDeadLetterStore extends JdbcDeadLetterStore {

    /** Dead letters beside the events of {@code events}, through its data source. */
    public PostgreSQLDeadLetterStore(PostgreSQLEventStore events) {
        super(new PostgreSQLAccess(Objects.requireNonNull(events, "events")));
    }
}
