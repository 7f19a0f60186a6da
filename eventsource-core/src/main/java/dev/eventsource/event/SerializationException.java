package dev.eventsource.event;

import dev.eventsource.EventSourceException;

/**
 * An event payload could not be turned into JSON, or stored JSON could not be turned back into
 * its record (including a missing upcaster step). Thrown before anything is written when it
 * happens on append.
 */
public class SerializationException extends EventSourceException {

    private final String eventType;

    public SerializationException(String eventType, String message, Throwable cause) {
        super(message, cause);
        this.eventType = eventType;
    }

    /** The event type name involved. */
    public String eventType() {
        return eventType;
    }
}
