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
 * <p><b>Trace context.</b> Two extras keys are well known: {@value #TRACEPARENT} and
 * {@value #TRACESTATE}, the W3C Trace Context headers of the span that was current when the event
 * was appended (stores with tracing on add them; see {@code dev.eventsource.store.EventTraceContext}
 * to continue or link to that trace). {@link #withTraceContext} validates them; {@link #traceparent()}
 * returns the stored value only when it is well formed, so an event stored with a malformed value
 * stays readable and is simply not linked.
 *
 * @param tenantId      the tenant that owns the event; reads can filter on it
 * @param actorId       the user or system that caused it
 * @param correlationId the id shared by every message of one business transaction
 * @param causationId   the id of the message that directly caused this event
 * @param extras        free-form string pairs, kept in key order
 */
public record EventMetadata(String tenantId, UUID actorId, UUID correlationId, UUID causationId,
                            Map<String, String> extras) {

    /** The extras key holding the W3C {@code traceparent} of the appending span. */
    public static final String TRACEPARENT = "traceparent";
    /** The extras key holding the W3C {@code tracestate} of the appending span, when it had one. */
    public static final String TRACESTATE = "tracestate";

    private static final java.util.regex.Pattern TRACEPARENT_FORMAT =
            java.util.regex.Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

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

    /**
     * A copy carrying a W3C trace context: {@value #TRACEPARENT} and, when {@code tracestate} is
     * neither null nor blank, {@value #TRACESTATE}; a previous tracestate is removed otherwise.
     *
     * @throws IllegalArgumentException if {@code traceparent} is not a version-00 style
     *         {@code vv-<32 hex trace id>-<16 hex span id>-<2 hex flags>} in lower case, with version
     *         {@code ff} or an all-zero id (what the W3C specification declares invalid)
     */
    public EventMetadata withTraceContext(String traceparent, String tracestate) {
        if (!isValidTraceparent(traceparent)) {
            throw new IllegalArgumentException("traceparent must be a W3C traceparent like"
                    + " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 (lower-case hex, non-zero ids); got "
                    + traceparent);
        }
        var copy = new TreeMap<>(extras);
        copy.put(TRACEPARENT, traceparent);
        if (tracestate == null || tracestate.isBlank()) {
            copy.remove(TRACESTATE);
        } else {
            copy.put(TRACESTATE, tracestate);
        }
        return new EventMetadata(tenantId, actorId, correlationId, causationId, copy);
    }

    /**
     * The W3C {@code traceparent} of the span that appended the event, if one was stored and is well
     * formed (see {@link #withTraceContext}); empty otherwise.
     */
    public java.util.Optional<String> traceparent() {
        String value = extras.get(TRACEPARENT);
        return isValidTraceparent(value) ? java.util.Optional.of(value) : java.util.Optional.empty();
    }

    /** The W3C {@code tracestate} stored beside a well-formed {@link #traceparent()}; empty otherwise. */
    public java.util.Optional<String> tracestate() {
        String value = extras.get(TRACESTATE);
        return traceparent().isPresent() && value != null && !value.isBlank()
                ? java.util.Optional.of(value) : java.util.Optional.empty();
    }

    /** Whether {@code value} is a traceparent that {@link #withTraceContext} accepts. */
    public static boolean isValidTraceparent(String value) {
        return value != null && TRACEPARENT_FORMAT.matcher(value).matches() && !value.startsWith("ff-")
                && !value.substring(3, 35).equals("0".repeat(32)) && !value.substring(36, 52).equals("0".repeat(16));
    }

    /** True when nothing at all is set. */
    public boolean isEmpty() {
        return tenantId == null && actorId == null && correlationId == null && causationId == null && extras.isEmpty();
    }
}
