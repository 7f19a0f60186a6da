package dev.eventsource.event;

import dev.eventsource.EventSourceException;

import java.util.List;

/** A stored event type name has no class in the registry used to read it. */
public class UnknownEventTypeException extends EventSourceException {

    private final String eventType;
    private final List<String> knownTypes;

    public UnknownEventTypeException(String eventType, List<String> knownTypes) {
        super("Unknown event type '" + eventType + "'. Known types: " + knownTypes
                + ". Register the event class with EventRegistry.register(...) (or pass the store a registry"
                + " that knows it) before reading it.");
        this.eventType = eventType;
        this.knownTypes = List.copyOf(knownTypes);
    }

    public String eventType() {
        return eventType;
    }

    /** The names the registry did know, sorted. */
    public List<String> knownTypes() {
        return knownTypes;
    }
}
