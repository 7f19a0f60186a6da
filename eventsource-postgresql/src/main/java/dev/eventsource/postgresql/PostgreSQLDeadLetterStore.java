package dev.eventsource.postgresql;

import dev.eventsource.store.StoreClosedException;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead-letter queue in the same PostgreSQL schema as the events of a
 * {@link PostgreSQLEventStore}, in its {@code <prefix>dead_letters} table (created by the store's
 * {@code initialize()}). Like {@link PostgreSQLCheckpointStore} it borrows the store's data source,
 * schema and prefix, and refuses every call once that store is closed. Each operation is one
 * autocommit statement; {@link #add} is an upsert on (subscription, event id), so racing adds of
 * one event keep one entry. Thread-safe.
 */
public final class PostgreSQLDeadLetterStore implements DeadLetterStore {

    private final PostgreSQLEventStore events;
    private final String upsert;
    private final String select;
    private final String resolve;
    private final String count;
    private volatile boolean ready;

    /** Dead letters beside the events of {@code events}, through its data source. */
    public PostgreSQLDeadLetterStore(PostgreSQLEventStore events) {
        this.events = Objects.requireNonNull(events, "events");
        String table = events.schema() + "." + events.tablePrefix() + "dead_letters";
        this.upsert = "INSERT INTO " + table + " AS d (subscription, event_id, global_position, event_type, payload, error,"
                + " stack_trace, attempts, first_failed_at, last_failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (subscription, event_id) DO UPDATE SET error = excluded.error,"
                + " stack_trace = excluded.stack_trace, attempts = d.attempts + excluded.attempts,"
                + " last_failed_at = excluded.last_failed_at, resolved_at = NULL RETURNING id";
        this.select = "SELECT id, subscription, event_id, global_position, event_type, payload, error, stack_trace, attempts,"
                + " first_failed_at, last_failed_at, resolved_at FROM " + table;
        this.resolve = "UPDATE " + table + " SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL";
        this.count = "SELECT count(*) FROM " + table + " WHERE subscription = ? AND resolved_at IS NULL";
    }

    @Override
    public DeadLetter add(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        ensureSchema();
        long id = events.run("dead-letter event " + letter.eventId() + " of " + letter.subscription(), c -> {
            try (PreparedStatement s = c.prepareStatement(upsert)) {
                s.setString(1, letter.subscription());
                s.setObject(2, letter.eventId());
                s.setLong(3, letter.globalPosition());
                s.setString(4, letter.eventType());
                s.setString(5, letter.payload());
                s.setString(6, letter.error());
                s.setString(7, letter.stackTrace());
                s.setInt(8, letter.attempts());
                s.setObject(9, timestamp(letter.firstFailedAt()));
                s.setObject(10, timestamp(letter.lastFailedAt()));
                try (ResultSet rs = s.executeQuery()) {
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
        return query("read dead letter " + id, select + " WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<DeadLetter> list(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return query("list the dead letters of " + subscription, select
                + " WHERE subscription = ? AND resolved_at IS NULL ORDER BY global_position, id", subscription);
    }

    @Override
    public long count(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        ensureSchema();
        return events.run("count the dead letters of " + subscription, c -> {
            try (PreparedStatement s = c.prepareStatement(count)) {
                s.setString(1, subscription);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<DeadLetter> listAll() {
        ensureSchema();
        return query("list the dead letters", select + " WHERE resolved_at IS NULL ORDER BY subscription COLLATE \"C\","
                + " global_position, id");
    }

    @Override
    public boolean resolve(long id, Instant at) {
        Objects.requireNonNull(at, "at");
        ensureSchema();
        return events.run("resolve dead letter " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(resolve)) {
                s.setObject(1, timestamp(at));
                s.setLong(2, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public String toString() {
        return "PostgreSQLDeadLetterStore(" + events + ")";
    }

    private List<DeadLetter> query(String action, String sql, Object... args) {
        return events.run(action, c -> {
            List<DeadLetter> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(letter(rs));
                    }
                }
            }
            return rows;
        });
    }

    private static OffsetDateTime timestamp(Instant at) {
        return OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static DeadLetter letter(ResultSet rs) throws SQLException {
        OffsetDateTime resolved = rs.getObject(12, OffsetDateTime.class);
        return new DeadLetter(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                rs.getObject(10, OffsetDateTime.class).toInstant(), rs.getObject(11, OffsetDateTime.class).toInstant(),
                resolved == null ? null : resolved.toInstant());
    }

    private void ensureSchema() {
        if (events.isClosed()) {
            throw new StoreClosedException(events.toString());
        }
        if (!ready) {
            events.initialize();
            ready = true;
        }
    }
}
