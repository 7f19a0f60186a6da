package dev.eventsource.sqlite;

import dev.eventsource.jdbc.JdbcSnapshotStore;

import java.util.Objects;

/**
 * Snapshots in the same SQLite database as the events of a {@link SQLiteEventStore}, in its
 * {@code snapshots} table (created by the store's {@code initialize()}):
 *
 * <pre>{@code
 * SQLiteEventStore store = new SQLiteEventStore("./events.db");
 * var accounts = AggregateRepository.builder(store, Account::new, "Account")
 *         .snapshots(new SQLiteSnapshotStore(store))
 *         .snapshotPolicy(SnapshotPolicy.everyEvents(100))
 *         .build();
 * }</pre>
 *
 * <p>It opens nothing of its own: it borrows the event store's connections, so it lives and dies
 * with that store (after {@code store.close()} every call throws
 * {@link dev.eventsource.store.StoreClosedException}) and works on {@code ":memory:"} too. Writes
 * go through the store's single writer connection, one short autocommit statement each, so within
 * the process they queue behind appends rather than fight them for SQLite's write lock; reads use
 * the reader connections. State is stored as the JSON text it was given; {@code takenAt} is kept
 * to the microsecond, like the events' times. {@link #save} never replaces a snapshot of a higher
 * version. Driver errors are translated as the event store translates them. Thread-safe.
 */
public final class SQLiteSnapshotStore extends JdbcSnapshotStore {

    /** Snapshots beside the events of {@code events}, on its connections. */
    public SQLiteSnapshotStore(SQLiteEventStore events) {
        super(new SQLiteAccess(Objects.requireNonNull(events, "events")));
    }
}
