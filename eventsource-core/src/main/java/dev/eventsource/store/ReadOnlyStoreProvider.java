package dev.eventsource.store;

import dev.eventsource.event.EventRegistry;

/**
 * A provider whose backend can open a store for reading only, for
 * {@link EventStores#openReadOnly(String, EventRegistry)}: tools that inspect a store (list,
 * count, verify, export) and must never change it. A backend without such a mode implements only
 * {@link EventStoreProvider}.
 */
public interface ReadOnlyStoreProvider extends EventStoreProvider {

    /**
     * Opens (but does not initialize) a store for the URL that never writes: its initialization
     * creates and upgrades nothing, and refuses a store that does not exist or whose schema is
     * missing, older or newer than the backend's, naming it; every write throws
     * {@link ReadOnlyStoreException}.
     *
     * @throws IllegalArgumentException if the URL is malformed or names a store that cannot be read
     *                                  without creating it (an in-memory one)
     */
    EventStore openReadOnly(String url, EventRegistry registry);
}
