package dev.eventsource.subscription;

import dev.eventsource.EventSourceException;

/** A subscription was registered under a name the manager already has. */
public class DuplicateSubscriptionException extends EventSourceException {

    private final String name;

    public DuplicateSubscriptionException(String name) {
        super("a subscription named '" + name + "' is already registered; names identify checkpoints, so pick"
                + " another name or unsubscribe the existing one first");
        this.name = name;
    }

    /** The name that was taken. */
    public String name() {
        return name;
    }
}
