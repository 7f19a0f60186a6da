package dev.eventsource.event;

import dev.eventsource.EventSourceException;

import java.util.UUID;

/**
 * An event could not be turned into what a store holds, or stored data could not be turned back
 * into its record: a payload that cannot be serialized, an event outside
 * {@link dev.eventsource.store.EventLimits}, stored JSON that does not fit its record, a missing
 * or failing upcaster. Thrown before anything is written when it happens on append or import; on
 * read, the message names the event's id, type, stream, version and global position.
 */
public class SerializationException extends EventSourceException {

    private final String eventType;
    private final UUID eventId;

    public SerializationException(String eventType, String message, Throwable cause) {
        this(eventType, null, message, cause);
    }

    /** For a failure that concerns one stored or imported event. */
    public SerializationException(String eventType, UUID eventId, String message, Throwable cause) {
        super(message, cause);
        this.eventType = eventType;
        this.eventId = eventId;
    }

    /** The event type name involved. */
    public String eventType() {
        return eventType;
    }

    /** The id of the stored or imported event concerned, or null when the failure is not about one such event. */
    public UUID eventId() {
        return eventId;
    }
}
