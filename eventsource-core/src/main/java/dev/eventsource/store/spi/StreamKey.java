package dev.eventsource.store.spi;

import java.util.UUID;

/**
 * The identity of a stream: aggregate type plus aggregate id.
 *
 * <p>It refuses only what can never name a stream (a blank type, a null id), not what a store
 * refuses to write ({@link dev.eventsource.store.EventLimits}): stream keys are also built from
 * rows already stored, and a row written before a limit existed must stay readable. Writes check
 * the limits where they enter a store.
 *
 * @param aggregateType the aggregate type, e.g. {@code "Note"}
 * @param aggregateId   the aggregate id
 */
public record StreamKey(String aggregateType, UUID aggregateId) {

    /**
     * @throws IllegalArgumentException if the type is blank or the id is null
     */
    public StreamKey {
        if (aggregateType == null || aggregateType.isBlank()) {
            throw new IllegalArgumentException("aggregateType must be non-blank (e.g. \"Note\"); got "
                    + (aggregateType == null ? "null" : "'" + aggregateType + "'") + ". Did you swap the arguments?");
        }
        if (aggregateId == null) {
            throw new IllegalArgumentException("aggregateId must not be null");
        }
    }

    @Override
    public String toString() {
        return aggregateType + "/" + aggregateId;
    }
}
