package dev.eventsource.store.spi;

import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StreamId;

import java.time.Instant;
import java.util.UUID;

/**
 * An event ready to be written: everything a backend stores, already serialized by
 * {@link EventMapper}. Backends store these fields as they are and never look inside the JSON.
 *
 * @param occurredAt   already truncated to microseconds
 * @param metadataJson a JSON object with actor, correlation, causation and extras (never null)
 * @param payloadJson  the payload record as a JSON object
 */
public record SerializedEvent(UUID eventId, String eventType, int schemaVersion, Instant occurredAt, String tenantId,
                              String metadataJson, String payloadJson) {

    /** This event as recorded in {@code stream} at {@code version} and {@code globalPosition}. */
    public RecordedEvent recorded(StreamId stream, long version, long globalPosition, Instant recordedAt) {
        return new RecordedEvent(eventId, eventType, schemaVersion, stream.aggregateId(), stream.aggregateType(),
                version, globalPosition, occurredAt, recordedAt, tenantId, metadataJson, payloadJson);
    }
}
