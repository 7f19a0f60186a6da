package dev.eventsource.lock;

/**
 * A held lock of {@link ExclusiveLocks}: while {@link #isHeld()} is true, no other holder has
 * {@link #name()}.
 *
 * <p>{@link #isHeld()} tells whether the lock is still held: false after {@link #close()}, after
 * the backend was closed, and when the backend finds the lock lost (on PostgreSQL, the session
 * holding the advisory lock is gone; checking costs one round trip). It never becomes true again:
 * once lost, acquire anew. {@link #close()} releases the lock; it is idempotent and never throws
 * for a lock that is lost already.
 */
public interface ExclusiveLock extends AutoCloseable {

    /** The name this lock holds. */
    String name();

    /** Whether the lock is still held; checks with the database where the lock can be lost unseen. */
    boolean isHeld();

    /** Releases the lock; idempotent. */
    @Override
    void close();
}
