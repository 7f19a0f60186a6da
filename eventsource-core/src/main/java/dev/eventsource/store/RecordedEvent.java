package dev.eventsource.store;


import java.time.Instant;
import java.util.UUID;

/**
 * One stored row, as a backend reads it: the serialized event plus its place in the store.
 * {@link dev.eventsource.store.spi.EventMapper#toStoredEvent(RecordedEvent)} turns it into the public
 * {@link dev.eventsource.store.StoredEvent}; tools that inspect stores without the event classes
 * read this form.
 */
public record RecordedEvent(UUID eventId, String eventType, int schemaVersion, UUID aggregateId, String aggregateType,
                            long version, long globalPosition, Instant occurredAt, Instant recordedAt, String tenantId,
                            String metadataJson, String payloadJson) {

    public StreamId stream() {
        return new StreamId(aggregateType, aggregateId);
    }
}
