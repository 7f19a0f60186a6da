package dev.eventsource.subscription;

import java.util.Set;

/**
 * A {@link Subscriber} that keeps a read model: it declares the event and aggregate types it
 * handles (the subscription reads only those from the store; empty means all) and can
 * {@link #reset()} its read model so that it can be rebuilt from the beginning by
 * {@link SubscriptionManager#rebuild(String)}.
 *
 * <p>Two styles: implement {@link #handle(dev.eventsource.store.StoredEvent)} and list the type names in
 * {@link #eventTypes()}, or extend {@link HandlerProjection} and write one
 * {@link ProjectionHandler} method per event class, from which the type names are derived.
 */
public interface Projection extends Subscriber {

    /** The event type names this projection handles; empty for all. */
    default Set<String> eventTypes() {
        return Set.of();
    }

    /** The aggregate types this projection handles; empty for all. */
    default Set<String> aggregateTypes() {
        return Set.of();
    }

    /** Empties the read model, before a rebuild replays every event into it. */
    void reset() throws Exception;
}
