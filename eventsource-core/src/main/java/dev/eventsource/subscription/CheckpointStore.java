package dev.eventsource.subscription;

import java.util.List;
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

    /** Forgets the checkpoint of {@code subscription}; says whether there was one. */
    boolean reset(String subscription);

    /** Every saved checkpoint, ordered by subscription name. */
    List<Checkpoint> findAll();
}
