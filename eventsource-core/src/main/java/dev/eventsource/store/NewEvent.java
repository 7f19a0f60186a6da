package dev.eventsource.store;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event about to be appended, with the envelope fields the caller may choose.
 *
 * <p>Set {@code eventId} yourself to make an append idempotent: retrying an append with the same
 * ids right after the same expected version returns the original result and writes nothing.
 * {@code occurredAt} is truncated to microseconds when recorded.
 */
public record NewEvent(DomainEvent event, UUID eventId, Instant occurredAt, EventMetadata metadata) {

    public NewEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** A new event with a new time-ordered id ({@link EventIds#next()}), occurring now, without metadata. */
    public static NewEvent of(DomainEvent event) {
        return new NewEvent(event, EventIds.next(), Instant.now(), EventMetadata.EMPTY);
    }

    /** A new event with a new time-ordered id ({@link EventIds#next()}), occurring now, with the given metadata. */
    public static NewEvent of(DomainEvent event, EventMetadata metadata) {
        return new NewEvent(event, EventIds.next(), Instant.now(), metadata);
    }

    public NewEvent withEventId(UUID eventId) {
        return new NewEvent(event, eventId, occurredAt, metadata);
    }

    public NewEvent withOccurredAt(Instant occurredAt) {
        return new NewEvent(event, eventId, occurredAt, metadata);
    }

    public NewEvent withMetadata(EventMetadata metadata) {
        return new NewEvent(event, eventId, occurredAt, metadata);
    }
}
