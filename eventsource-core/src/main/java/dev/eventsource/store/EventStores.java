package dev.eventsource.store;

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
     * @throws StoreUnavailableException ({@code NO_BACKEND}) naming the supported forms when no backend accepts the URL
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
                throw new StoreUnavailableException(StoreUnavailableException.Reason.NO_BACKEND, "No event store backend"
                        + " accepts '" + redact(url) + "'. Supported forms: " + known + ". For SQLite or PostgreSQL add"
                        + " eventsource-sqlite or eventsource-postgresql to the class path.", null);
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

    /**
     * Opens and initializes a store for reading only: nothing is created, upgraded or written, not
     * even a missing file or schema. See {@link ReadOnlyStoreProvider#openReadOnly}.
     *
     * @throws IllegalArgumentException for a blank URL, and for {@code memory:}, which would be empty
     * @throws StoreUnavailableException    when no backend accepts the URL or its backend cannot open
     *                                       stores read-only ({@code NO_BACKEND}), or the store does not
     *                                       exist ({@code DATABASE_MISSING})
     * @throws StoreNotInitializedException when the store holds no current schema
     */
    public static EventStore openReadOnly(String url, EventRegistry registry) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("store URL must be non-blank, e.g. \"sqlite:./events.db\"");
        }
        if (url.equals("memory:")) {
            throw new IllegalArgumentException("memory: is a new, empty store; there is nothing to open read-only");
        }
        List<String> known = new ArrayList<>(List.of("memory:"));
        for (EventStoreProvider provider : ServiceLoader.load(EventStoreProvider.class, EventStores.class.getClassLoader())) {
            if (provider.accepts(url)) {
                if (!(provider instanceof ReadOnlyStoreProvider readOnly)) {
                    throw new StoreUnavailableException(StoreUnavailableException.Reason.NO_BACKEND, "The backend of '"
                            + redact(url) + "' cannot open stores read-only", null);
                }
                EventStore store = readOnly.openReadOnly(url, registry);
                try {
                    store.initialize();
                    return store;
                } catch (RuntimeException e) {
                    store.close();
                    throw e;
                }
            }
            known.addAll(provider.examples());
        }
        throw new StoreUnavailableException(StoreUnavailableException.Reason.NO_BACKEND, "No event store backend accepts '"
                + redact(url) + "'. Supported forms: " + known, null);
    }

    /**
     * A store URL as safe to print in logs, messages and tool output: the password of a
     * {@code scheme://user:password@host} part, and the value of every query parameter whose name
     * suggests a secret ({@code password}, {@code sslpassword}, {@code pwd}, {@code secret},
     * {@code token}, {@code credentials}, {@code ...key}), become {@code ***}. Everything else is
     * kept, so the result still says which store is meant. Null gives null.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String redacted = url;
        int scheme = redacted.indexOf("://");
        if (scheme >= 0) {
            int start = scheme + 3;
            int end = start;
            while (end < redacted.length() && "/?#".indexOf(redacted.charAt(end)) < 0) {
                end++;
            }
            int at = redacted.lastIndexOf('@', end - 1);
            int colon = at < start ? -1 : redacted.indexOf(':', start);
            if (colon >= 0 && colon < at) {
                redacted = redacted.substring(0, colon + 1) + "***" + redacted.substring(at);
            }
        }
        int query = redacted.indexOf('?');
        if (query < 0) {
            return redacted;
        }
        StringBuilder out = new StringBuilder(redacted.substring(0, query + 1));
        String[] parameters = redacted.substring(query + 1).split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            String parameter = parameters[i];
            int eq = parameter.indexOf('=');
            if (i > 0) {
                out.append('&');
            }
            out.append(eq >= 0 && isSecret(parameter.substring(0, eq)) ? parameter.substring(0, eq + 1) + "***" : parameter);
        }
        return out.toString();
    }

    private static boolean isSecret(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("pass") || lower.contains("pwd") || lower.contains("secret") || lower.contains("token")
                || lower.contains("credential") || lower.endsWith("key");
    }
}
