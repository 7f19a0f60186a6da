package dev.eventsource.backend;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.StoreUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens a whole backend from a URL: the sibling of {@link EventStores#open(String)}, which opens
 * only its store. Same URLs: {@code memory:}, {@code sqlite:./events.db}, {@code postgresql://...}
 * with the backend module on the class path. The store is initialized before the backend is
 * returned; a backend that fails to initialize is closed.
 */
public final class EventStoreBackends {

    private EventStoreBackends() {
    }

    /** Opens and initializes a backend with the default registry. */
    public static EventStoreBackend open(String url) {
        return open(url, EventRegistry.defaultRegistry());
    }

    /**
     * Opens and initializes a backend.
     *
     * @throws IllegalArgumentException  for a blank or malformed URL
     * @throws StoreUnavailableException ({@code NO_BACKEND}) naming the supported forms when no backend accepts the URL
     */
    public static EventStoreBackend open(String url, EventRegistry registry) {
        return open(url, registry, false);
    }

    /**
     * Opens and initializes a backend whose store never writes; see
     * {@link EventStores#openReadOnly(String, EventRegistry)} for what is refused.
     *
     * @throws IllegalArgumentException for a blank URL, and for {@code memory:}, which would be empty
     */
    public static EventStoreBackend openReadOnly(String url, EventRegistry registry) {
        return open(url, registry, true);
    }

    private static EventStoreBackend open(String url, EventRegistry registry, boolean readOnly) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("store URL must be non-blank, e.g. \"sqlite:./events.db\" or \"memory:\"");
        }
        EventStoreBackend backend = null;
        if (url.equals("memory:")) {
            if (readOnly) {
                throw new IllegalArgumentException("memory: is a new, empty store; there is nothing to open read-only");
            }
            backend = new InMemoryBackend(registry);
        } else {
            List<String> known = new ArrayList<>(List.of("memory:"));
            for (EventStoreBackendProvider provider : ServiceLoader.load(EventStoreBackendProvider.class,
                    EventStoreBackends.class.getClassLoader())) {
                if (provider.accepts(url)) {
                    backend = provider.openBackend(url, registry, readOnly);
                    break;
                }
                known.addAll(provider.examples());
            }
            if (backend == null) {
                throw new StoreUnavailableException(StoreUnavailableException.Reason.NO_BACKEND, "No event store backend"
                        + " accepts '" + EventStores.redact(url) + "'. Supported forms: " + known + ". For SQLite or"
                        + " PostgreSQL add eventsource-sqlite or eventsource-postgresql to the class path.", null);
            }
        }
        try {
            backend.store().initialize();
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }
}
