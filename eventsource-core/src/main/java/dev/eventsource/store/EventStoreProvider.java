package dev.eventsource.store;

import dev.eventsource.event.EventRegistry;

/**
 * Opens stores for URLs of one scheme; found with {@link java.util.ServiceLoader} by
 * {@link EventStores#open(String)}, the way JDBC drivers are found. Backend modules register
 * theirs in {@code META-INF/services/dev.eventsource.store.EventStoreProvider}.
 */
public interface EventStoreProvider {

    /** True when this provider handles the URL. */
    boolean accepts(String url);

    /** The URL forms this provider accepts, for error messages, e.g. {@code "sqlite:./events.db"}. */
    java.util.List<String> examples();

    /** Opens (but does not initialize) a store for the URL. */
    EventStore open(String url, EventRegistry registry);
}
