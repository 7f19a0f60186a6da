package dev.eventsource.sqlite;

import dev.eventsource.sqlite.internal.EventQueries;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead-letter queue in the same SQLite database as the events of a {@link SQLiteEventStore},
 * in its {@code dead_letters} table (created by the store's {@code initialize()}). Like
 * {@link SQLiteCheckpointStore} it borrows the event store's connections; each operation is one
 * short statement, writes on the writer connection under the store's write lock. Thread-safe.
 */
public final class SQLiteDeadLetterStore implements DeadLetterStore {

    private static final String UPSERT = "INSERT INTO dead_letters (subscription, event_id, global_position, event_type,"
            + " payload, error, stack_trace, attempts, first_failed_at, last_failed_at, resolved_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (subscription, event_id) DO UPDATE SET"
            + " error = excluded.error, stack_trace = excluded.stack_trace,"
            + " attempts = dead_letters.attempts + excluded.attempts, last_failed_at = excluded.last_failed_at,"
            + " resolved_at = NULL RETURNING id";
    private static final String COLUMNS = "SELECT id, subscription, event_id, global_position, event_type, payload, error,"
            + " stack_trace, attempts, first_failed_at, last_failed_at, resolved_at FROM dead_letters";
    private static final String COUNT = "SELECT count(*) FROM dead_letters WHERE subscription = ? AND resolved_at IS NULL";
    private static final String RESOLVE = "UPDATE dead_letters SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL";

    private final SQLiteEventStore events;
    private volatile boolean ready;

    /** Dead letters beside the events of {@code events}, on its connections. */
    public SQLiteDeadLetterStore(SQLiteEventStore events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public DeadLetter add(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        ensureSchema();
        long id = events.write("dead-lettering event " + letter.eventId() + " of " + letter.subscription(), c -> {
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                upsert.setString(1, letter.subscription());
                upsert.setString(2, letter.eventId().toString());
                upsert.setLong(3, letter.globalPosition());
                upsert.setString(4, letter.eventType());
                upsert.setString(5, letter.payload());
                upsert.setString(6, letter.error());
                upsert.setString(7, letter.stackTrace());
                upsert.setInt(8, letter.attempts());
                upsert.setLong(9, EventQueries.micros(letter.firstFailedAt()));
                upsert.setLong(10, EventQueries.micros(letter.lastFailedAt()));
                try (ResultSet rs = upsert.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return find(id).orElseThrow();
    }

    @Override
    public Optional<DeadLetter> find(long id) {
        ensureSchema();
        List<DeadLetter> found = query("reading dead letter " + id, COLUMNS + " WHERE id = ?", id);
        return found.stream().findFirst();
    }

    @Override
    public List<DeadLetter> list(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return query("listing the dead letters of " + subscription, COLUMNS
                + " WHERE subscription = ? AND resolved_at IS NULL ORDER BY global_position, id", subscription);
    }

    @Override
    public long count(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return events.read("counting the dead letters of " + subscription, c -> {
            try (PreparedStatement query = c.prepareStatement(COUNT)) {
                query.setString(1, subscription);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<DeadLetter> listAll() {
        ensureSchema();
        return query("listing the dead letters", COLUMNS + " WHERE resolved_at IS NULL ORDER BY subscription,"
                + " global_position, id");
    }

    @Override
    public boolean resolve(long id, Instant at) {
        Objects.requireNonNull(at, "at");
        ensureSchema();
        return events.write("resolving dead letter " + id, c -> {
            try (PreparedStatement update = c.prepareStatement(RESOLVE)) {
                update.setLong(1, EventQueries.micros(at));
                update.setLong(2, id);
                return update.executeUpdate() > 0;
            }
        });
    }

    @Override
    public String toString() {
        return "SQLiteDeadLetterStore(" + events.database() + ")";
    }

    private List<DeadLetter> query(String action, String sql, Object... args) {
        return events.read(action, c -> {
            List<DeadLetter> rows = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    query.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rows.add(letter(rs));
                    }
                }
            }
            return rows;
        });
    }

    private static DeadLetter letter(ResultSet rs) throws SQLException {
        long resolved = rs.getLong(12);
        Instant resolvedAt = rs.wasNull() ? null : EventQueries.instant(resolved);
        return new DeadLetter(rs.getLong(1), rs.getString(2), UUID.fromString(rs.getString(3)), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                EventQueries.instant(rs.getLong(10)), EventQueries.instant(rs.getLong(11)), resolvedAt);
    }

    private void ensureSchema() {
        if (!ready) {
            events.initialize();
            ready = true;
        }
    }
}
