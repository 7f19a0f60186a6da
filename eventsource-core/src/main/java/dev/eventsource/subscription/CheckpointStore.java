package dev.eventsource.subscription;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where subscriptions keep their {@link Checkpoint}s: one per subscription name.
 *
 * <p>{@link #save} replaces the subscription's checkpoint whatever it was (a rebuild moves it
 * back); it is durable when it returns for a persistent store. Implementations are thread-safe.
 * The SQLite and PostgreSQL implementations keep checkpoints in the same database as the events.
 */
public interface CheckpointStore {

    /** The saved checkpoint of {@code subscription}, if any. */
    Optional<Checkpoint> find(String subscription);

    /** Saves {@code checkpoint} as its subscription's checkpoint, replacing any other. */
    void save(Checkpoint checkpoint);

    /**
     * Saves {@code next} only if the saved checkpoint of its subscription is still {@code expected}:
     * the same position, events processed and save time (to the microsecond, the precision the
     * stores keep), or none at all when {@code expected} is null. A fencing write: a holder of an
     * exclusive lease (a relay) that saves only over what it saw last learns that another holder
     * took over meanwhile, instead of moving the checkpoint back over the newer holder's.
     *
     * <p>The in-memory and SQL stores compare and save in one atomic step. This default finds,
     * compares and saves in three, which excludes a writer that comes later but not one that races
     * it: a store that others share overrides it.
     *
     * @return whether {@code next} was saved; false if the saved checkpoint is another one
     * @throws NullPointerException     if {@code next} is null
     * @throws IllegalArgumentException if {@code expected} is of another subscription than {@code next}
     */
    default boolean saveIfUnchanged(Checkpoint expected, Checkpoint next) {
        checkSameSubscription(expected, next);
        if (!sameSave(find(next.subscription()).orElse(null), expected)) {
            return false;
        }
        save(next);
        return true;
    }

    /**
     * Whether {@code a} and {@code b} are the same save of one checkpoint: both absent, or the same
     * subscription, position, events processed and save time to the microsecond.
     */
    static boolean sameSave(Checkpoint a, Checkpoint b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.subscription().equals(b.subscription()) && a.position() == b.position()
                && a.eventsProcessed() == b.eventsProcessed()
                && a.updatedAt().truncatedTo(ChronoUnit.MICROS).equals(b.updatedAt().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * Checks the arguments of {@link #saveIfUnchanged} as every implementation does.
     *
     * @throws NullPointerException     if {@code next} is null
     * @throws IllegalArgumentException if {@code expected} is of another subscription
     */
    static void checkSameSubscription(Checkpoint expected, Checkpoint next) {
        Objects.requireNonNull(next, "next must not be null; give the checkpoint to save");
        if (expected != null && !expected.subscription().equals(next.subscription())) {
            throw new IllegalArgumentException("expected is the checkpoint of '" + expected.subscription() + "' and next of '"
                    + next.subscription() + "'; a conditional save compares checkpoints of one subscription");
        }
    }

    /** Forgets the checkpoint of {@code subscription}; says whether there was one. */
    boolean reset(String subscription);

    /** Every saved checkpoint, ordered by subscription name. */
    List<Checkpoint> findAll();
}
