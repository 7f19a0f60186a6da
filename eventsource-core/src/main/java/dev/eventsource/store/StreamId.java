package dev.eventsource.store;

import java.util.UUID;

/**
 * The identity of a stream: the aggregate type and the aggregate id, in that order. Every
 * {@link EventAppender} and {@link StreamReader} call that takes an {@code (aggregateId,
 * aggregateType)} pair has an overload taking a {@code StreamId}, which behaves exactly like it.
 *
 * <p>Refused with {@link IllegalArgumentException}, so that a {@code StreamId} always names a
 * stream some store can hold: a null or blank type, a type holding a U+0000 (NUL) or an unpaired
 * UTF-16 surrogate (see {@link EventLimits#requireWellFormed}), and a null id. The type's length
 * is not checked here, so that streams stored before the name limit existed stay addressable;
 * an append checks it ({@link EventLimits#MAX_NAME_LENGTH}).
 *
 * <p>Two ids are equal when type and id are; the type is compared exactly (case matters).
 *
 * @param aggregateType the aggregate type, e.g. {@code "Note"}
 * @param aggregateId   the aggregate id
 */
public record StreamId(String aggregateType, UUID aggregateId) {

    /**
     * @throws IllegalArgumentException if the type is null, blank or not well-formed, or the id is null
     */
    public StreamId {
        if (aggregateType == null || aggregateType.isBlank()) {
            throw new IllegalArgumentException("aggregateType must be non-blank (e.g. \"Note\"); got "
                    + (aggregateType == null ? "null" : "'" + aggregateType + "'") + ". Did you swap the arguments?");
        }
        EventLimits.requireWellFormed("aggregateType", aggregateType);
        if (aggregateId == null) {
            throw new IllegalArgumentException("aggregateId must not be null; give the id of the aggregate whose stream this is");
        }
    }

    /**
     * The stream of aggregate {@code aggregateId} of type {@code aggregateType}.
     *
     * @throws IllegalArgumentException as the constructor does
     */
    public static StreamId of(String aggregateType, UUID aggregateId) {
        return new StreamId(aggregateType, aggregateId);
    }

    /** Refuses a null stream id passed to an overload, naming the fix. */
    static StreamId require(StreamId stream) {
        if (stream == null) {
            throw new IllegalArgumentException("stream must not be null; pass StreamId.of(aggregateType, aggregateId)");
        }
        return stream;
    }

    /** {@code "Type/uuid"}, e.g. {@code "Note/0b6c…"}. */
    @Override
    public String toString() {
        return aggregateType + "/" + aggregateId;
    }
}
