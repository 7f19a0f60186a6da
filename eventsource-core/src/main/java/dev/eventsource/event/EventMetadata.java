package dev.eventsource.event;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What is known about an event besides its payload and its place in a stream: the tenant it
 * belongs to, who caused it, and how it relates to other messages.
 *
 * <p>Every field is optional ({@code null} when unknown); {@code extras} is never null. Set it
 * per append ({@code EventStore.appendEvents(..., metadata)}) or per repository save; it comes
 * back unchanged on {@link dev.eventsource.store.StoredEvent#metadata()}. Extras keys must be
 * non-blank.
 *
 * @param tenantId      the tenant that owns the event; reads can filter on it
 * @param actorId       the user or system that caused it
 * @param correlationId the id shared by every message of one business transaction
 * @param causationId   the id of the message that directly caused this event
 * @param extras        free-form string pairs, kept in key order
 */
public record EventMetadata(String tenantId, UUID actorId, UUID correlationId, UUID causationId,
                            Map<String, String> extras) {

    /** No tenant, no actor, no correlation, no extras. */
    public static final EventMetadata EMPTY = new EventMetadata(null, null, null, null, Map.of());

    public EventMetadata {
        if (tenantId != null && tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId must be null or non-blank");
        }
        if (extras == null) {
            extras = Map.of();
        } else {
            for (var e : extras.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata extras need non-blank keys and non-null values; got "
                            + e.getKey() + "=" + e.getValue());
                }
            }
            extras = java.util.Collections.unmodifiableMap(new TreeMap<>(extras));
        }
    }

    public EventMetadata withTenantId(String tenantId) {
        return new EventMetadata(tenantId, actorId, correlationId, causationId, extras);
    }

    public EventMetadata withActorId(UUID actorId) {
        return new EventMetadata(tenantId, actorId, correlationId, causationId, extras);
    }

    public EventMetadata withCorrelationId(UUID correlationId) {
        return new EventMetadata(tenantId, actorId, correlationId, causationId, extras);
    }

    public EventMetadata withCausationId(UUID causationId) {
        return new EventMetadata(tenantId, actorId, correlationId, causationId, extras);
    }

    /** A copy with one extra added (or replaced). */
    public EventMetadata withExtra(String key, String value) {
        var copy = new TreeMap<>(extras);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new EventMetadata(tenantId, actorId, correlationId, causationId, copy);
    }

    /** True when nothing at all is set. */
    public boolean isEmpty() {
        return tenantId == null && actorId == null && correlationId == null && causationId == null && extras.isEmpty();
    }
}
