package dev.eventsource.store;

import java.util.UUID;

/**
 * The stream-read role of an event store: the events of one (aggregateType, aggregateId) stream,
 * in version order.
 *
 * <p>Reading a stream that does not exist, or an existing id under another aggregate type,
 * returns an empty stream with version 0; it never throws for absence.
 */
public interface StreamReader {

    /**
     * The events of a stream whose version is above {@code afterVersion} (exclusive), and the
     * stream's current version. {@code getEvents(id, type, 0)} reads the whole stream; after a
     * snapshot at version 100, {@code getEvents(id, type, 100)} reads only the tail.
     *
     * @throws IllegalArgumentException if {@code afterVersion} is negative
     */
    EventStream getEvents(java.util.UUID aggregateId, String aggregateType, long afterVersion);

    /** The whole stream. */
    default EventStream getEvents(UUID aggregateId, String aggregateType) {
        return getEvents(aggregateId, aggregateType, 0);
    }

    /**
     * The current version of a stream; 0 when it does not exist. By default a read after the last
     * possible version, so no event is loaded; a store implements it directly as
     * {@link EventLookup#getStreamVersion}.
     */
    default long getStreamVersion(UUID aggregateId, String aggregateType) {
        return getEvents(aggregateId, aggregateType, Long.MAX_VALUE).version();
    }

    /**
     * The stream's current version and the tenant of its last event. By default a version read and
     * a read of the last event; stores answer it with one query. A stream that does not exist has
     * {@link StreamHead#NONE}.
     */
    default StreamHead getStreamHead(UUID aggregateId, String aggregateType) {
        long version = getStreamVersion(aggregateId, aggregateType);
        if (version == 0) {
            return StreamHead.NONE;
        }
        // A writer may have moved the stream on since: the head is the first event read, at `version`.
        var last = getEvents(aggregateId, aggregateType, version - 1).events();
        return last.isEmpty() ? new StreamHead(version, null) : new StreamHead(last.get(0).version(), last.get(0).tenantId());
    }

    /**
     * The events of {@code stream} above {@code afterVersion}; exactly
     * {@link #getEvents(UUID, String, long)}.
     *
     * @throws IllegalArgumentException if {@code stream} is null or {@code afterVersion} is negative
     */
    default EventStream getEvents(StreamId stream, long afterVersion) {
        StreamId s = StreamId.require(stream);
        return getEvents(s.aggregateId(), s.aggregateType(), afterVersion);
    }

    /**
     * The whole of {@code stream}; exactly {@link #getEvents(UUID, String)}.
     *
     * @throws IllegalArgumentException if {@code stream} is null
     */
    default EventStream getEvents(StreamId stream) {
        StreamId s = StreamId.require(stream);
        return getEvents(s.aggregateId(), s.aggregateType());
    }

    /**
     * The current version of {@code stream}, 0 when it does not exist; exactly
     * {@link #getStreamVersion(UUID, String)}.
     *
     * @throws IllegalArgumentException if {@code stream} is null
     */
    default long getStreamVersion(StreamId stream) {
        StreamId s = StreamId.require(stream);
        return getStreamVersion(s.aggregateId(), s.aggregateType());
    }
}
