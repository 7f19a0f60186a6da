package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStoreProvider;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Opens {@link SQLiteEventStore}s for {@link dev.eventsource.store.EventStores#open(String)}.
 *
 * <p>Accepts {@code sqlite::memory:}, {@code sqlite:<path>} (e.g. {@code sqlite:./events.db}) and
 * {@code jdbc:sqlite:<path>}, optionally followed by {@code ?} parameters {@code walMode=true|false},
 * {@code busyTimeout=<milliseconds>}, {@code synchronous=FULL|NORMAL} and {@code tracing=true|false}
 * joined by {@code &}. Refuses an empty path and unknown or malformed parameters, naming them.
 */
public final class SQLiteEventStoreProvider implements EventStoreProvider {

    private static final List<String> PREFIXES = List.of("jdbc:sqlite:", "sqlite:");

    @Override
    public boolean accepts(String url) {
        return url != null && PREFIXES.stream().anyMatch(url::startsWith);
    }

    @Override
    public List<String> examples() {
        return List.of("sqlite::memory:", "sqlite:./events.db", "jdbc:sqlite:./events.db",
                "sqlite:./events.db?busyTimeout=10000&synchronous=NORMAL");
    }

    /**
     * @throws IllegalArgumentException if the URL has no path or a parameter is unknown or malformed
     */
    @Override
    public EventStore open(String url, EventRegistry registry) {
        String rest = url.substring(PREFIXES.stream().filter(url::startsWith).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a SQLite URL: " + url)).length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.isBlank()) {
            throw new IllegalArgumentException("SQLite URL '" + url + "' names no database; use e.g. "
                    + examples().subList(0, 2));
        }
        SQLiteEventStore.Builder builder = SQLiteEventStore.builder(path).eventRegistry(registry);
        if (query >= 0) {
            for (String parameter : rest.substring(query + 1).split("&")) {
                apply(builder, url, parameter);
            }
        }
        return builder.build();
    }

    private static void apply(SQLiteEventStore.Builder builder, String url, String parameter) {
        int eq = parameter.indexOf('=');
        String name = eq < 0 ? parameter : parameter.substring(0, eq);
        String value = eq < 0 ? "" : parameter.substring(eq + 1);
        try {
            switch (name) {
                case "walMode" -> builder.walMode(bool(value));
                case "busyTimeout" -> builder.busyTimeout(Duration.ofMillis(Long.parseLong(value)));
                case "synchronous" -> builder.synchronous(Synchronous.valueOf(value.toUpperCase(Locale.ROOT)));
                case "tracing" -> builder.tracing(bool(value));
                default -> throw new IllegalArgumentException("unknown parameter");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad parameter '" + parameter + "' in SQLite URL '" + url + "' ("
                    + e.getMessage() + "); known: walMode=true|false, busyTimeout=<milliseconds>,"
                    + " synchronous=FULL|NORMAL, tracing=true|false", e);
        }
    }

    private static boolean bool(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("expected true or false");
    }
}
