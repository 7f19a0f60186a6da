package dev.eventsource.store;

import dev.eventsource.EventSourceException;
import dev.eventsource.event.EventRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens an event store from a URL, for configuration-driven applications and tools.
 *
 * <p>{@code memory:} is handled here. Other schemes come from backend modules on the class path:
 * {@code sqlite::memory:}, {@code sqlite:./events.db}, {@code jdbc:sqlite:...} with
 * {@code eventsource-sqlite}; {@code postgresql://user:pass@host:port/db} and
 * {@code jdbc:postgresql://...} with {@code eventsource-postgresql}. The store is initialized
 * before it is returned.
 */
public final class EventStores {

    private EventStores() {
    }

    /** Opens and initializes a store with the default registry. */
    public static EventStore open(String url) {
        return open(url, EventRegistry.defaultRegistry());
    }

    /**
     * Opens and initializes a store.
     *
     * @throws EventSourceException naming the supported forms when no backend accepts the URL
     */
    public static EventStore open(String url, EventRegistry registry) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("store URL must be non-blank, e.g. \"sqlite:./events.db\" or \"memory:\"");
        }
        EventStore store = null;
        if (url.equals("memory:")) {
            store = new InMemoryEventStore(registry);
        } else {
            List<String> known = new ArrayList<>(List.of("memory:"));
            for (EventStoreProvider provider : ServiceLoader.load(EventStoreProvider.class, EventStores.class.getClassLoader())) {
                if (provider.accepts(url)) {
                    store = provider.open(url, registry);
                    break;
                }
                known.addAll(provider.examples());
            }
            if (store == null) {
                throw new EventSourceException("No event store backend accepts '" + url + "'. Supported forms: " + known
                        + ". For SQLite or PostgreSQL add eventsource-sqlite or eventsource-postgresql to the class path.");
            }
        }
        try {
            store.initialize();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
