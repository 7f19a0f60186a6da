package dev.eventsource.bus;

import dev.eventsource.EventSourceException;

/**
 * A bus was asked to publish or subscribe after its shutdown started. Nothing was published or
 * subscribed.
 */
public class EventBusClosedException extends EventSourceException {

    public EventBusClosedException(String bus) {
        super(bus + " is shut down; publish and subscribe on a new bus");
    }
}
