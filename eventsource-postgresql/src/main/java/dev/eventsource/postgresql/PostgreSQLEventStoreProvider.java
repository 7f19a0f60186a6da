package dev.eventsource.postgresql;

import dev.eventsource.backend.EventStoreBackendProvider;
import dev.eventsource.event.EventRegistry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens {@link PostgreSQLBackend}s for {@code EventStoreBackends.open(url)}, and their
 * {@link PostgreSQLEventStore}s for {@code EventStores.open(url)}:
 * {@code postgresql://user:pass@host:port/db} (user and password percent-encoded) and
 * {@code jdbc:postgresql://...} as the driver accepts it. In both forms the query parameters
 * {@code schema} and {@code tablePrefix} set the store's schema and table prefix (and are not passed
 * to the driver); the others are. The store owns its pool.
 */
public final class PostgreSQLEventStoreProvider implements EventStoreBackendProvider {

    @Override
    public boolean accepts(String url) {
        return url.startsWith("postgresql://") || url.startsWith("jdbc:postgresql:");
    }

    @Override
    public List<String> examples() {
        return List.of("postgresql://user:pass@host:5432/db", "jdbc:postgresql://host:5432/db?user=u&password=p");
    }

    /** A backend on the database the URL names; {@code readOnly} gives a {@linkplain PostgreSQLEventStore.Builder#readOnly(boolean) read-only} store. */
    @Override
    public PostgreSQLBackend openBackend(String url, EventRegistry registry, boolean readOnly) {
        return new PostgreSQLBackend(parse(url).eventRegistry(registry).readOnly(readOnly).build());
    }

    private static PostgreSQLEventStore.Builder parse(String url) {
        String schema = PostgreSQLEventStore.DEFAULT_SCHEMA;
        String prefix = PostgreSQLEventStore.DEFAULT_TABLE_PREFIX;
        int query = url.indexOf('?');
        if (query >= 0) {
            List<String> driverParameters = new ArrayList<>();
            for (String parameter : url.substring(query + 1).split("&")) {
                if (parameter.startsWith("schema=")) {
                    schema = decode(parameter.substring("schema=".length()));
                } else if (parameter.startsWith("tablePrefix=")) {
                    prefix = decode(parameter.substring("tablePrefix=".length()));
                } else if (!parameter.isEmpty()) {
                    driverParameters.add(parameter);
                }
            }
            url = url.substring(0, query) + (driverParameters.isEmpty() ? "" : "?" + String.join("&", driverParameters));
        }
        return builder(url).schema(schema).tablePrefix(prefix);
    }

    private static PostgreSQLEventStore.Builder builder(String url) {
        if (url.startsWith("jdbc:")) {
            try {
                requirePort(new URI(url.substring("jdbc:".length())));
            } catch (URISyntaxException e) {
                // Left to the driver, which reads more forms than a URI (several hosts, say) and names what it refuses.
            }
            return PostgreSQLEventStore.builder(url);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a valid PostgreSQL URL (expected postgresql://user:pass@host:port/db,"
                    + " with special characters in the password percent-encoded): " + e.getReason(), e);
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("PostgreSQL URL needs a host and a database, as in"
                    + " postgresql://user:pass@host:5432/db");
        }
        requirePort(uri);
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        PostgreSQLEventStore.Builder builder = PostgreSQLEventStore.builder(jdbcUrl);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            builder.credentials(user, password);
        }
        return builder;
    }

    /** The driver only logs a warning for a port out of range, then refuses the URL without saying why. */
    private static void requirePort(URI uri) {
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("PostgreSQL URL port must be between 1 and 65535 (5432 by default); got "
                    + uri.getPort());
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
