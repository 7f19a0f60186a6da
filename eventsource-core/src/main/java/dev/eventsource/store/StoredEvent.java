package dev.eventsource.store;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as the store holds it: the payload record plus its envelope.
 *
 * @param eventId        unique across the store
 * @param eventType      the stored type name
 * @param aggregateId    the stream's aggregate id
 * @param aggregateType  the stream's aggregate type
 * @param version        position in its stream, from 1
 * @param globalPosition position in the store's global log, from 1, strictly increasing
 * @param occurredAt     when the event happened (set by the caller or at append), microseconds
 * @param recordedAt     when the store recorded it, microseconds
 * @param metadata       tenant, actor, correlation, causation and extras
 * @param event          the payload, upcast to the current record if it was stored in an older
 *                       schema version
 */
public record StoredEvent(UUID eventId, String eventType, UUID aggregateId, String aggregateType, long version,
                          long globalPosition, Instant occurredAt, Instant recordedAt, EventMetadata metadata,
                          DomainEvent event) {

    /**
     * The stream this event belongs to.
     *
     * @throws IllegalArgumentException as {@link StreamId} does, for a hand-built envelope whose
     *                                  type or id could not name a stream
     */
    public StreamId streamId() {
        return new StreamId(aggregateType, aggregateId);
    }

    /** The tenant of the event, or {@code null}. */
    public String tenantId() {
        return metadata.tenantId();
    }
}
