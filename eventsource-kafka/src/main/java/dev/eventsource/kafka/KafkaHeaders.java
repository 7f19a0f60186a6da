package dev.eventsource.kafka;

/**
 * The headers {@link KafkaEventPublisher} puts on every message, so that a consumer (or a tool,
 * a router, a tracer) can see what a message is without decoding its value. Values are UTF-8 text.
 * The value itself is the event's JSON document ({@link dev.eventsource.wire.EventDocument}), which
 * carries all of these too; the document is authoritative.
 */
public final class KafkaHeaders {

    /** The event id (UUID). */
    public static final String EVENT_ID = "eventsource-event-id";
    /** The stored event type name. */
    public static final String EVENT_TYPE = "eventsource-event-type";
    /** The payload's schema version (a whole number). */
    public static final String SCHEMA_VERSION = "eventsource-schema-version";
    /** The aggregate type. */
    public static final String AGGREGATE_TYPE = "eventsource-aggregate-type";
    /** The aggregate id (UUID); also the message key. */
    public static final String AGGREGATE_ID = "eventsource-aggregate-id";
    /** The event's position in the store's global log. */
    public static final String GLOBAL_POSITION = "eventsource-global-position";
    /** The tenant; absent when the event has none. */
    public static final String TENANT_ID = "eventsource-tenant-id";
    /**
     * The W3C trace context, copied from the metadata extra of the same name
     * ({@value #TRACEPARENT}); absent when the event's metadata has none.
     */
    public static final String TRACEPARENT = "traceparent";

    private KafkaHeaders() {
    }
}
