package dev.eventsource.lock;

import java.util.Objects;
import java.util.Optional;

/**
 * Named locks held by at most one holder at a time across every application instance that opens
 * the same database: the lease that keeps one relay (or one instance of a subscription) active per
 * name while standbys wait. Obtained from {@link dev.eventsource.backend.EventStoreBackend#locks()}.
 *
 * <p><b>Contract</b> (pinned by the TCK's {@code ExclusiveLocksContract} for every backend):
 * <ul>
 *   <li>{@link #tryAcquire} never waits for another holder: it returns the lock, or empty when any
 *       holder has it, another instance's or this one's (a name is not re-entrant, so two relays
 *       of one process exclude each other too);</li>
 *   <li>two holders never have one name at once; different names are independent;</li>
 *   <li>{@link ExclusiveLock#close()} releases the name, and so does the end of its holder: a closed
 *       backend, a process that died, a lost database session. A standby polls {@code tryAcquire}
 *       and takes over then;</li>
 *   <li>a holder that can lose its lock without being told (a PostgreSQL session killed by the
 *       server) learns it from {@link ExclusiveLock#isHeld()}, which checks, and must stop the work
 *       the lock guards once it returns false.</li>
 * </ul>
 *
 * <p>What "one database" means is the backend's: the in-memory backend's locks are process-local
 * (backends sharing an {@link InMemoryExclusiveLocks} table see each other); SQLite's hold across
 * the processes of one host (an OS file lock on a file next to the database); PostgreSQL's across
 * every client of the database (session advisory locks, per schema and table prefix).
 *
 * <p>Refused: a null name ({@link NullPointerException}); a blank name or one with surrounding
 * blanks ({@link IllegalArgumentException}); acquiring after the backend was closed
 * ({@link dev.eventsource.store.StoreClosedException}). Thread-safe.
 */
public interface ExclusiveLocks {

    /**
     * Takes the lock {@code name} if no one holds it, without waiting.
     *
     * @return the held lock; empty if another holder has it
     * @throws IllegalArgumentException if {@code name} is blank or has surrounding blanks
     */
    Optional<ExclusiveLock> tryAcquire(String name);

    /**
     * Checks a lock name as every implementation does, so that all refuse the same input with the
     * same message; returns it.
     *
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if it is blank or has surrounding blanks
     */
    static String checkName(String name) {
        Objects.requireNonNull(name, "lock name must not be null; name the relay or subscription it guards");
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("lock name must be non-blank without surrounding blanks; got '" + name
                    + "'; use the name of the relay or subscription it guards");
        }
        return name;
    }
}
