package dev.eventsource.backend;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ReadOnlyStoreProvider;

/**
 * Opens backends for URLs of one scheme; found with {@link java.util.ServiceLoader} by
 * {@link EventStoreBackends#open(String)}. A backend module implements this one interface and
 * registers the class in both {@code META-INF/services/dev.eventsource.backend.EventStoreBackendProvider}
 * and {@code META-INF/services/dev.eventsource.store.EventStoreProvider}, so that
 * {@link dev.eventsource.store.EventStores#open(String)} finds it too: the store it opens is the
 * backend's store, and the one URL parser serves both.
 */
public interface EventStoreBackendProvider extends ReadOnlyStoreProvider {

    /**
     * Opens (but does not initialize) a backend for the URL.
     *
     * @param readOnly open a store that never writes; see {@link ReadOnlyStoreProvider#openReadOnly}
     * @throws IllegalArgumentException if the URL is malformed, or read-only is asked of a store that
     *                                  cannot be read without creating it (an in-memory one)
     */
    EventStoreBackend openBackend(String url, EventRegistry registry, boolean readOnly);

    @Override
    default EventStore open(String url, EventRegistry registry) {
        return openBackend(url, registry, false).store();
    }

    @Override
    default EventStore openReadOnly(String url, EventRegistry registry) {
        return openBackend(url, registry, true).store();
    }
}
