package dev.eventsource.store;

import dev.eventsource.EventSourceException;

import java.util.List;
import java.util.UUID;

/**
 * An append was sent to the database but its outcome could not be learned: the store was closed,
 * or the calling thread was interrupted, while the append's transaction may have been committing.
 * Its events are either all stored or none are.
 *
 * <p>Retry with the same event ids ({@link #eventIds()}, e.g. by re-sending the same
 * {@link NewEvent}s), on a new store if this one was closed: the retry is idempotent, so it writes
 * nothing and returns the original {@link AppendResult} if the first attempt was stored. A retry
 * with fresh ids would store the events twice. Never thrown when the store knows nothing was
 * written: that is {@link StoreClosedException} or {@link EventStoreInterruptedException}.
 *
 * <p>Deliberately not a {@link TransientEventStoreException}: a generic retry policy re-runs the
 * command, which makes new events with new ids, and that is exactly the retry that duplicates.
 */
public class AppendOutcomeUnknownException extends EventSourceException {

    private final UUID aggregateId;
    private final String aggregateType;
    private final List<UUID> eventIds;

    /**
     * @param why what cut the append short, e.g. {@code "the store was closed while it was committing"}
     */
    public AppendOutcomeUnknownException(String aggregateType, UUID aggregateId, List<UUID> eventIds, String why,
                                         Throwable cause) {
        super("Append of " + eventIds.size() + " event(s) to " + aggregateType + " " + aggregateId
                + " may or may not have been stored: " + why + ". Retry with the same event ids " + eventIds
                + ": the retry is idempotent (it writes nothing if the first attempt was stored).", cause);
        this.aggregateId = aggregateId;
        this.aggregateType = aggregateType;
        this.eventIds = List.copyOf(eventIds);
    }

    public UUID aggregateId() {
        return aggregateId;
    }

    public String aggregateType() {
        return aggregateType;
    }

    /** The ids of the events of the append, in order: retry with exactly these. */
    public List<UUID> eventIds() {
        return eventIds;
    }
}
