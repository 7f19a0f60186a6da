package dev.eventsource.sqlite;

import dev.eventsource.backend.EventStoreBackendProvider;
import dev.eventsource.event.EventRegistry;

import java.time.Duration;
import java.util.List;

/**
 * Opens {@link SQLiteBackend}s for {@link dev.eventsource.backend.EventStoreBackends#open(String)},
 * and their {@link SQLiteEventStore}s for {@link dev.eventsource.store.EventStores#open(String)}.
 *
 * <p>Accepts {@code sqlite::memory:}, {@code sqlite:<path>} (e.g. {@code sqlite:./events.db}) and
 * {@code jdbc:sqlite:<path>}, optionally followed by {@code ?} parameters {@code walMode=true|false},
 * {@code busyTimeout=<milliseconds>}, {@code synchronous=FULL|NORMAL}, {@code tracing=true|false} and
 * {@code tablePrefix=<prefix>} (see {@link SQLiteEventStore.Builder#tablePrefix(String)})
 * joined by {@code &}. Refuses an empty path, unknown or malformed parameters, and every database
 * name that {@link SQLiteEventStore#builder(String)} refuses (a {@code file:} URI, a name starting
 * with {@code ':'} other than {@code :memory:}, such as {@code sqlite::resource:http://...}).
 */
public final class SQLiteEventStoreProvider implements EventStoreBackendProvider {

    private static final List<String> PREFIXES = List.of("jdbc:sqlite:", "sqlite:");

    @Override
    public boolean accepts(String url) {
        return url != null && PREFIXES.stream().anyMatch(url::startsWith);
    }

    private static final List<String> EXAMPLES = List.of("sqlite::memory:", "sqlite:./events.db", "jdbc:sqlite:./events.db",
            "sqlite:./events.db?busyTimeout=10000&synchronous=NORMAL");

    @Override
    public List<String> examples() {
        return EXAMPLES;
    }

    /**
     * A backend on the store the URL names; {@code readOnly} gives a
     * {@linkplain SQLiteEventStore.Builder#readOnly(boolean) read-only} store.
     *
     * @throws IllegalArgumentException if the URL has no path or a parameter is unknown or malformed,
     *                                  and for a read-only {@code sqlite::memory:}
     */
    @Override
    public SQLiteBackend openBackend(String url, EventRegistry registry, boolean readOnly) {
        return new SQLiteBackend(builder(url).eventRegistry(registry).readOnly(readOnly).build());
    }

    /**
     * The one parser of SQLite store URLs: a builder configured from {@code url}, for callers that
     * need more than {@link #open} gives, such as the database path or a
     * {@linkplain SQLiteEventStore.Builder#readOnly(boolean) read-only} store. The database name
     * goes through {@link SQLiteEventStore#builder(String)}, so the URL is refused exactly where a
     * path would be (e.g. {@code sqlite::resource:http://...}).
     *
     * @throws IllegalArgumentException if the URL is not a SQLite URL, has no path, names something
     *                                  {@link SQLiteEventStore#builder(String)} refuses, or has an
     *                                  unknown or malformed parameter
     */
    public static SQLiteEventStore.Builder builder(String url) {
        if (url == null) {
            throw new IllegalArgumentException("not a SQLite URL: null");
        }
        String rest = url.substring(PREFIXES.stream().filter(url::startsWith).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a SQLite URL: " + url)).length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.isBlank()) {
            throw new IllegalArgumentException("SQLite URL '" + url + "' names no database; use e.g. "
                    + EXAMPLES.subList(0, 2));
        }
        SQLiteEventStore.Builder builder = SQLiteEventStore.builder(path);
        if (query >= 0) {
            for (String parameter : rest.substring(query + 1).split("&")) {
                apply(builder, url, parameter);
            }
        }
        return builder;
    }

    private static long milliseconds(String value) {
        long ms;
        try {
            ms = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("busyTimeout must be a whole number of milliseconds; got '" + value + "'");
        }
        if (ms < 0) {
            throw new IllegalArgumentException("busyTimeout must be 0 (fail at once) or a positive number of milliseconds; got " + ms);
        }
        return ms;
    }

    private static Synchronous synchronous(String value) {
        for (Synchronous s : Synchronous.values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("synchronous must be FULL or NORMAL; got '" + value + "'");
    }

    private static void apply(SQLiteEventStore.Builder builder, String url, String parameter) {
        int eq = parameter.indexOf('=');
        String name = eq < 0 ? parameter : parameter.substring(0, eq);
        String value = eq < 0 ? "" : parameter.substring(eq + 1);
        try {
            switch (name) {
                case "walMode" -> builder.walMode(bool(value));
                case "busyTimeout" -> builder.busyTimeout(Duration.ofMillis(milliseconds(value)));
                case "synchronous" -> builder.synchronous(synchronous(value));
                case "tracing" -> builder.tracing(bool(value));
                case "tablePrefix" -> builder.tablePrefix(value);
                default -> throw new IllegalArgumentException("unknown parameter");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad parameter '" + parameter + "' in SQLite URL '" + url + "' ("
                    + e.getMessage() + "); known: walMode=true|false, busyTimeout=<milliseconds>,"
                    + " synchronous=FULL|NORMAL, tracing=true|false, tablePrefix=<prefix>", e);
        }
    }

    private static boolean bool(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("expected true or false");
    }
}
