package dev.eventsource.subscription;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dead-letter queue: events that subscriptions failed to handle after their retries.
 *
 * <p>There is at most one entry per (subscription, event id). {@link #add} of an event already
 * queued for that subscription updates that entry instead (error, stack trace, last failure time;
 * the attempts add up; it becomes unresolved again) and keeps its id and first failure time.
 * Implementations are thread-safe; the SQLite and PostgreSQL ones keep entries in the events'
 * database.
 */
public interface DeadLetterStore {

    /**
     * Queues {@code letter} (its {@code id} is ignored) or updates the entry already queued for its
     * subscription and event, and returns the stored entry with its id.
     */
    DeadLetter add(DeadLetter letter);

    /** The entry with {@code id}, resolved or not. */
    Optional<DeadLetter> find(long id);

    /** The unresolved entries of {@code subscription}, in global position order. */
    List<DeadLetter> list(String subscription);

    /**
     * How many entries of {@code subscription} are unresolved; what {@code list(subscription).size()}
     * would say. Health checks call it, so a store should answer it without loading the entries.
     */
    default long count(String subscription) {
        return list(subscription).size();
    }

    /** Every unresolved entry, by subscription then position. */
    List<DeadLetter> listAll();

    /** Marks the entry resolved at {@code at}; false if there is no such entry or it was resolved already. */
    boolean resolve(long id, Instant at);

    /**
     * A page of the entries {@code query} selects, in id order; see {@link DeadLetterQuery}. An
     * entry is selected exactly when {@link DeadLetterQuery#matches} says so.
     */
    List<DeadLetter> query(DeadLetterQuery query);

    /** The unresolved entries counted, per subscription and per error type. */
    DeadLetterStats stats();

    /**
     * Deletes the entries resolved before {@code resolvedBefore}; unresolved ones are never deleted.
     *
     * @return how many were deleted
     */
    long purgeResolved(Instant resolvedBefore);
}
