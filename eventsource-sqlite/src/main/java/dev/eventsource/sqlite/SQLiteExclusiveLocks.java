package dev.eventsource.sqlite;

import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.lock.InMemoryExclusiveLocks;
import dev.eventsource.sqlite.internal.LockFile;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoreUnavailableException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ExclusiveLocks} for a SQLite database: OS record locks on a file beside it,
 * {@code <database>.locks}, one byte per name (and table prefix, so that stores under different
 * prefixes in one file do not exclude each other). They hold across every process of the host that
 * opens the same database path (and across the backends of one JVM), and the OS releases them when
 * a holder process ends, {@code kill -9} included, so a standby polling
 * {@link #tryAcquire} takes over at once. SQLite itself is single-host, and so are these locks: on
 * a network filesystem record locks may not be honoured, as SQLite's own are not. A
 * {@code ":memory:"} database, private to its process, gets process-local locks. The lock file is
 * left in place (it holds no data; removing it while a holder runs breaks the exclusion).
 *
 * <p>A lock is lost only with its process, so {@link ExclusiveLock#isHeld()} answers without I/O.
 * Closing this (the backend does) releases what it holds and refuses later acquisitions with
 * {@link StoreClosedException}.
 */
public final class SQLiteExclusiveLocks implements ExclusiveLocks, AutoCloseable {

    private final String database;
    private final String tablePrefix;
    private final Path lockFile;
    private final InMemoryExclusiveLocks memory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Held> mine = new HashSet<>();
    private LockFile file;
    private boolean closed;

    /** Locks for {@code store}'s database. */
    public SQLiteExclusiveLocks(SQLiteEventStore store) {
        Objects.requireNonNull(store, "store");
        this.database = store.database();
        this.tablePrefix = store.tablePrefix();
        if (SQLiteEventStore.MEMORY.equals(database)) {
            this.lockFile = null;
            this.memory = new InMemoryExclusiveLocks();
        } else {
            this.lockFile = Path.of(database + ".locks").toAbsolutePath().normalize();
            this.memory = null;
        }
    }

    /** The lock file, {@code <database>.locks}; empty for {@code ":memory:"}. */
    public Optional<Path> lockFile() {
        return Optional.ofNullable(lockFile);
    }

    /**
     * @throws StoreUnavailableException if the lock file cannot be created or opened (its
     *                                   directory is read-only or missing)
     */
    @Override
    public Optional<ExclusiveLock> tryAcquire(String name) {
        ExclusiveLocks.checkName(name);
        if (memory != null) {
            return memory.tryAcquire(name);
        }
        lock.lock();
        try {
            if (closed) {
                throw new StoreClosedException("SQLiteExclusiveLocks(" + database + ")");
            }
            if (file == null) {
                file = LockFile.use(lockFile);
            }
            try {
                if (!file.tryLock(tablePrefix + "\u0000" + name)) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                throw new StoreUnavailableException(e instanceof java.nio.file.AccessDeniedException ? StoreUnavailableException.Reason.ACCESS_DENIED : StoreUnavailableException.Reason.CANNOT_OPEN,
                        "cannot open the lock file " + lockFile + " of SQLite database " + database + ": " + e
                                + "; the directory of the database must be writable by this process", e);
            }
            Held held = new Held(name);
            mine.add(held);
            return Optional.of(held);
        } finally {
            lock.unlock();
        }
    }

    /** Releases every lock taken through this instance and lets go of the file; idempotent. */
    @Override
    public void close() {
        if (memory != null) {
            memory.close();
            return;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Held held : Set.copyOf(mine)) {
                held.close();
            }
            if (file != null) {
                file.unuse();
                file = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SQLiteExclusiveLocks(" + (lockFile == null ? database : lockFile) + ")";
    }

    private final class Held implements ExclusiveLock {
        private final String name;
        private final LockFile on;
        private volatile boolean released;

        Held(String name) {
            this.name = name;
            this.on = file;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isHeld() {
            return !released && on.holds(tablePrefix + "\u0000" + name);
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!released) {
                    released = true;
                    mine.remove(this);
                    on.unlock(tablePrefix + "\u0000" + name);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "ExclusiveLock[" + name + " on " + lockFile + (released ? ", released" : "") + "]";
        }
    }
}
