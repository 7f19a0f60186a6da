package dev.eventsource.subscription;

import java.util.Set;

/**
 * A {@link Subscriber} that keeps a read model: it declares the event and aggregate types it
 * handles (the subscription reads only those from the store; empty means all) and can
 * {@link #reset()} its read model so that it can be rebuilt from the beginning by
 * {@link SubscriptionManager#rebuild(String)}.
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
