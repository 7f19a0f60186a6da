package dev.eventsource.postgresql;

import dev.eventsource.jdbc.JdbcSnapshotStore;
import dev.eventsource.store.StoreClosedException;

import java.util.Objects;

/**
 * Snapshots in the same PostgreSQL schema as the events of a {@link PostgreSQLEventStore}, in its
 * {@code <prefix>snapshots} table (created by the store's {@code initialize()}, and part of
 * {@link PostgreSQLEventStore#schemaSql}):
 *
 * <pre>{@code
 * PostgreSQLEventStore store = PostgreSQLEventStore.builder(dataSource).schema("events").build();
 * var accounts = AggregateRepository.builder(store, Account::new, "Account")
 *         .snapshots(new PostgreSQLSnapshotStore(store))
 *         .snapshotPolicy(SnapshotPolicy.everyEvents(100))
 *         .build();
 * }</pre>
 *
 * <p>It opens nothing of its own: it borrows the event store's {@link javax.sql.DataSource},
 * schema and table prefix, and refuses every call with {@link StoreClosedException} once that
 * store is closed. Each operation is one autocommit statement. State is stored as {@code jsonb},
 * so it comes back as the same JSON value, possibly with other whitespace and key order, and
 * PostgreSQL refuses state that is not JSON. {@code takenAt} is kept to the microsecond.
 * {@link #save} is an {@code INSERT ... ON CONFLICT DO UPDATE} that never replaces a snapshot of a
 * higher version, also when writers race. Driver errors are translated as the event store
 * translates them. Thread-safe.
 */
public final class PostgreSQLSnapshotStore extends JdbcSnapshotStore {

    /** Snapshots beside the events of {@code events}, through its data source. */
    public PostgreSQLSnapshotStore(PostgreSQLEventStore events) {
        super(new PostgreSQLAccess(Objects.requireNonNull(events, "events")));
    }
}
