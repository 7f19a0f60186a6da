package dev.eventsource.postgresql;

import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.postgresql.internal.PgErrors;
import dev.eventsource.store.StoreClosedException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ExclusiveLocks} on PostgreSQL: session-level advisory locks
 * ({@code pg_try_advisory_lock(bigint)}) on one dedicated connection of the store's data source,
 * taken while this instance holds at least one lock and given back when it holds none. They hold
 * across every client of the database; the key is 64 bits of the SHA-256 of the store's schema,
 * table prefix and the name, so stores in different schemas do not exclude each other.
 *
 * <p><b>Losing a lock.</b> The server releases a session's advisory locks when the session ends:
 * the holder process died, its connection broke, or an administrator ran
 * {@code pg_terminate_backend}. The holder does not hear of it, so {@link ExclusiveLock#isHeld()}
 * checks (one round trip on the dedicated connection); once that fails every lock of this instance
 * is lost, the connection is discarded, and the next {@link #tryAcquire} opens a new session. A
 * holder stops the guarded work when {@code isHeld()} turns false; a standby's {@code tryAcquire}
 * succeeds once the server has ended the old session (at once after a kill; after the TCP
 * keepalive timeout when the holder's host vanished).
 *
 * <p>Size the pool for it: the dedicated connection is one of the pool's while any lock is held.
 * Advisory locks are re-entrant within a session, so names held by this instance are refused here
 * before asking the server. Closing this (the backend does) releases every lock and refuses later
 * acquisitions with {@link StoreClosedException}; a database error while acquiring is translated
 * like the store's (e.g. {@code TransientStoreException} when the server is unreachable).
 */
public final class PostgreSQLExclusiveLocks implements ExclusiveLocks, AutoCloseable {

    private static final int VALID_SECONDS = 5;
    private static final Executor ABORT = Runnable::run;

    private final PostgreSQLEventStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Held> held = new HashMap<>();
    private Connection session;
    private boolean closed;

    /** Locks in the database of {@code store}, scoped to its schema and table prefix. */
    public PostgreSQLExclusiveLocks(PostgreSQLEventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Optional<ExclusiveLock> tryAcquire(String name) {
        ExclusiveLocks.checkName(name);
        lock.lock();
        try {
            if (closed || store.isClosed()) {
                throw new StoreClosedException("PostgreSQLExclusiveLocks(" + store.schema() + ")");
            }
            if (held.containsKey(name)) {
                return Optional.empty();
            }
            if (session != null && !sessionAlive()) {
                loseAll();
            }
            try {
                if (session == null) {
                    Connection c = store.dataSource().getConnection();
                    c.setAutoCommit(true);
                    session = c;
                }
                boolean acquired;
                try (PreparedStatement s = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    s.setLong(1, key(name));
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        acquired = rs.getBoolean(1);
                    }
                }
                if (!acquired) {
                    giveBackIfUnused();
                    return Optional.empty();
                }
            } catch (SQLException e) {
                loseAll();
                throw PgErrors.translate(store.toString(), "acquire advisory lock '" + name + "'", e);
            }
            Held h = new Held(name, session);
            held.put(name, h);
            return Optional.of(h);
        } finally {
            lock.unlock();
        }
    }

    /** Releases every lock of this instance and gives its connection back; idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Held h : Map.copyOf(held).values()) {
                h.close();
            }
            discardSession(!held.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PostgreSQLExclusiveLocks(" + store.schema() + "." + store.tablePrefix() + ", held " + held.keySet() + ")";
    }

    /** The advisory lock key of {@code name} in this store's schema and table prefix. */
    long key(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((store.schema() + "\u0000" + store.tablePrefix()
                    + "\u0000" + name).getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether the dedicated session still exists; a broken one loses every lock. Guarded by lock. */
    private boolean sessionAlive() {
        try {
            return session.isValid(VALID_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Marks every lock lost and aborts the session, which may still hold some, so the pool never gets it back. */
    private void loseAll() {
        for (Held h : held.values()) {
            h.lost = true;
        }
        held.clear();
        discardSession(true);
    }

    private void giveBackIfUnused() {
        if (held.isEmpty()) {
            discardSession(false);
        }
    }

    private void discardSession(boolean mayHoldLocks) {
        Connection c = session;
        session = null;
        if (c == null) {
            return;
        }
        try {
            if (mayHoldLocks) {
                c.abort(ABORT);
            }
            c.close();
        } catch (SQLException e) {
            // Broken already: the server has ended the session and released its locks.
        }
    }

    private final class Held implements ExclusiveLock {
        private final String name;
        private final Connection on;
        private volatile boolean lost;
        private volatile boolean released;

        Held(String name, Connection on) {
            this.name = name;
            this.on = on;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isHeld() {
            if (released || lost) {
                return false;
            }
            lock.lock();
            try {
                if (released || lost) {
                    return false;
                }
                if (session != on || !sessionAlive()) {
                    loseAll();
                    lost = true;
                    return false;
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                if (lost || held.get(name) != this) {
                    return;
                }
                held.remove(name);
                try (PreparedStatement s = on.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    s.setLong(1, key(name));
                    s.executeQuery().close();
                } catch (SQLException e) {
                    // The session is gone, and its locks with it; any other lock of this instance is lost too.
                    loseAll();
                    return;
                }
                giveBackIfUnused();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "ExclusiveLock[" + name + " (advisory) , " + (released ? "released" : lost ? "lost" : "held") + "]";
        }
    }
}
