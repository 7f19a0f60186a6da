package dev.eventsource.jdbc;

import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterQuery;
import dev.eventsource.subscription.DeadLetterStats;
import dev.eventsource.subscription.DeadLetterStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dead-letter queue in the {@code dead_letters} table beside a SQL event store, written once
 * for every SQL backend; a backend's dead-letter store is a subclass that supplies its
 * {@link JdbcAccess} (e.g. {@code SQLiteDeadLetterStore}, {@code PostgreSQLDeadLetterStore}).
 *
 * <p>Each operation is one autocommit statement. {@link #add} is an upsert on (subscription,
 * event id), so racing adds of one event keep one entry, adding up their attempts and
 * unresolving it. Lists hold unresolved letters only, by position; {@link #listAll} orders
 * subscriptions by code point on every backend. Every call refuses with
 * {@code StoreClosedException} once the event store is closed. Thread-safe.
 */
public abstract class JdbcDeadLetterStore implements DeadLetterStore {

    private final JdbcAccess access;
    private final String upsert;
    private final String select;
    private final String resolve;
    private final String count;
    private final String orderBySubscription;

    /** Dead letters in the database {@code access} reaches. */
    protected JdbcDeadLetterStore(JdbcAccess access) {
        this.access = Objects.requireNonNull(access, "access");
        SqlDialect dialect = access.dialect();
        String table = dialect.table("dead_letters");
        this.upsert = "INSERT INTO " + table + " AS d (subscription, event_id, global_position, event_type, payload, error,"
                + " stack_trace, attempts, first_failed_at, last_failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (subscription, event_id) DO UPDATE SET error = excluded.error,"
                + " stack_trace = excluded.stack_trace, attempts = d.attempts + excluded.attempts,"
                + " last_failed_at = excluded.last_failed_at, resolved_at = NULL RETURNING id";
        this.select = "SELECT id, subscription, event_id, global_position, event_type, payload, error, stack_trace, attempts,"
                + " first_failed_at, last_failed_at, resolved_at FROM " + table;
        this.resolve = "UPDATE " + table + " SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL";
        this.count = "SELECT count(*) FROM " + table + " WHERE subscription = ? AND resolved_at IS NULL";
        this.orderBySubscription = " ORDER BY " + dialect.binaryOrder("subscription") + ", global_position, id";
    }

    @Override
    public DeadLetter add(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        access.ensureSchema();
        SqlDialect dialect = access.dialect();
        long id = access.write("dead-letter event " + letter.eventId() + " of " + letter.subscription(), c -> {
            try (PreparedStatement s = c.prepareStatement(upsert)) {
                s.setString(1, letter.subscription());
                dialect.setUuid(s, 2, letter.eventId());
                s.setLong(3, letter.globalPosition());
                s.setString(4, letter.eventType());
                s.setString(5, letter.payload());
                s.setString(6, letter.error());
                s.setString(7, letter.stackTrace());
                s.setInt(8, letter.attempts());
                dialect.setInstant(s, 9, letter.firstFailedAt());
                dialect.setInstant(s, 10, letter.lastFailedAt());
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
        access.ensureSchema();
        return query("read dead letter " + id, select + " WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<DeadLetter> list(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        access.ensureSchema();
        return query("list the dead letters of " + subscription, select
                + " WHERE subscription = ? AND resolved_at IS NULL ORDER BY global_position, id", subscription);
    }

    @Override
    public long count(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        access.ensureSchema();
        return access.read("count the dead letters of " + subscription, c -> {
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
        access.ensureSchema();
        return query("list the dead letters", select + " WHERE resolved_at IS NULL" + orderBySubscription);
    }

    @Override
    public boolean resolve(long id, Instant at) {
        Objects.requireNonNull(at, "at");
        access.ensureSchema();
        return access.write("resolve dead letter " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(resolve)) {
                access.dialect().setInstant(s, 1, at);
                s.setLong(2, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    /**
     * Reads in id order, in chunks, with the text filter applied here rather than in SQL, so that
     * "contains" means the same (case-sensitive, no wildcards) on every backend.
     */
    @Override
    public List<DeadLetter> query(DeadLetterQuery query) {
        Objects.requireNonNull(query, "query");
        access.ensureSchema();
        StringBuilder sql = new StringBuilder(select).append(" WHERE id > ?");
        List<Object> args = new ArrayList<>();
        if (query.subscription() != null) {
            sql.append(" AND subscription = ?");
            args.add(query.subscription());
        }
        if (query.eventType() != null) {
            sql.append(" AND event_type = ?");
            args.add(query.eventType());
        }
        if (!query.isIncludeResolved()) {
            sql.append(" AND resolved_at IS NULL");
        }
        sql.append(" ORDER BY id LIMIT ?");
        int chunk = query.errorContains() == null ? query.limit() : Math.max(query.limit(), 500);
        List<DeadLetter> page = new ArrayList<>();
        long after = query.afterId();
        while (page.size() < query.limit()) {
            List<Object> bound = new ArrayList<>();
            bound.add(after);
            bound.addAll(args);
            bound.add(chunk);
            List<DeadLetter> rows = query("list dead letters (" + query + ")", sql.toString(), bound.toArray());
            for (DeadLetter d : rows) {
                if (page.size() < query.limit() && query.matches(d)) {
                    page.add(d);
                }
            }
            if (rows.size() < chunk) {
                break;
            }
            after = rows.get(rows.size() - 1).id();
        }
        return page;
    }

    @Override
    public DeadLetterStats stats() {
        access.ensureSchema();
        String table = access.dialect().table("dead_letters");
        return access.read("count the dead letters", c -> {
            Map<String, Long> bySubscription = new HashMap<>();
            Map<String, Long> byErrorType = new HashMap<>();
            long unresolved = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT subscription, count(*) FROM " + table
                    + " WHERE resolved_at IS NULL GROUP BY subscription");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    bySubscription.put(rs.getString(1), rs.getLong(2));
                    unresolved += rs.getLong(2);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT error, count(*) FROM " + table
                    + " WHERE resolved_at IS NULL GROUP BY error");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    byErrorType.merge(DeadLetterStats.errorType(rs.getString(1)), rs.getLong(2), Long::sum);
                }
            }
            return new DeadLetterStats(unresolved, bySubscription, byErrorType);
        });
    }

    @Override
    public long purgeResolved(Instant resolvedBefore) {
        Objects.requireNonNull(resolvedBefore, "resolvedBefore");
        access.ensureSchema();
        String table = access.dialect().table("dead_letters");
        return access.write("purge the dead letters resolved before " + resolvedBefore, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table
                    + " WHERE resolved_at IS NOT NULL AND resolved_at < ?")) {
                access.dialect().setInstant(s, 1, resolvedBefore);
                return (long) s.executeUpdate();
            }
        });
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + access + ")";
    }

    private List<DeadLetter> query(String action, String sql, Object... args) {
        return access.read(action, c -> {
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

    private DeadLetter letter(ResultSet rs) throws SQLException {
        SqlDialect dialect = access.dialect();
        return new DeadLetter(rs.getLong(1), rs.getString(2), dialect.getUuid(rs, 3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), dialect.getInstant(rs, 10),
                dialect.getInstant(rs, 11), dialect.getInstant(rs, 12));
    }
}
