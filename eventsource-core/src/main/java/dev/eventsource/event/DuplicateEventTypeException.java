package dev.eventsource.event;

import dev.eventsource.EventSourceException;

/** Two different classes claim the same event type name. */
public class DuplicateEventTypeException extends EventSourceException {

    private final String eventType;
    private final Class<?> registered;
    private final Class<?> rejected;

    public DuplicateEventTypeException(String eventType, Class<?> registered, Class<?> rejected) {
        super("Event type name '" + eventType + "' is already registered to " + registered.getName()
                + "; refusing " + rejected.getName() + ". Give one of them a distinct @EventType(\"...\") name.");
        this.eventType = eventType;
        this.registered = registered;
        this.rejected = rejected;
    }

    public String eventType() {
        return eventType;
    }

    public Class<?> registeredClass() {
        return registered;
    }

    public Class<?> rejectedClass() {
        return rejected;
    }
}
