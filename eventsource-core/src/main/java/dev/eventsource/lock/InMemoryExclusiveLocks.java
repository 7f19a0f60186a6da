package dev.eventsource.lock;

import dev.eventsource.store.StoreClosedException;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Process-local {@link ExclusiveLocks}: a table in this JVM. Each {@link dev.eventsource.backend.InMemoryBackend} has its
 * own table unless given one; {@link #peer()} gives another holder on the same table, as a second
 * application instance on the same database would be. {@link #close()} releases every lock taken
 * through this instance (what the end of a process does for the other backends), and then refuses
 * to acquire with {@link StoreClosedException}. The SQLite backend uses one for a
 * {@code ":memory:"} database, which no other process can open anyway.
 */
public final class InMemoryExclusiveLocks implements ExclusiveLocks, AutoCloseable {

    private final ConcurrentMap<String, Held> table;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Held> mine = new HashSet<>();
    private boolean closed;

    /** A new, empty table. */
    public InMemoryExclusiveLocks() {
        this(new ConcurrentHashMap<>());
    }

    private InMemoryExclusiveLocks(ConcurrentMap<String, Held> table) {
        this.table = table;
    }

    /** Another holder on the same table: it and this one never hold one name at once. */
    public InMemoryExclusiveLocks peer() {
        return new InMemoryExclusiveLocks(table);
    }

    @Override
    public Optional<ExclusiveLock> tryAcquire(String name) {
        ExclusiveLocks.checkName(name);
        lock.lock();
        try {
            if (closed) {
                throw new StoreClosedException("InMemoryExclusiveLocks (its backend is closed)");
            }
            Held held = new Held(name);
            if (table.putIfAbsent(name, held) != null) {
                return Optional.empty();
            }
            mine.add(held);
            return Optional.of(held);
        } finally {
            lock.unlock();
        }
    }

    /** Releases every lock taken through this instance; later acquisitions are refused. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Held held : Set.copyOf(mine)) {
                held.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "InMemoryExclusiveLocks" + table.keySet();
    }

    private final class Held implements ExclusiveLock {
        private final String name;
        private volatile boolean held = true;

        Held(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isHeld() {
            return held;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (held) {
                    held = false;
                    mine.remove(this);
                    table.remove(name, this);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "ExclusiveLock[" + name + (held ? ", held" : ", released") + "]";
        }
    }
}
