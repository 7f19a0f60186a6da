package dev.eventsource.cli;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.sqlite.SQLiteEventStoreProvider;
import dev.eventsource.backend.EventStoreBackendProvider;
import dev.eventsource.store.EventStores;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Opens backends from the URLs of {@link EventStoreBackends#open(String)} the way the commands need
 * them; the commands take the parts they use from the backend (its stored-row log, its importer,
 * its storage check).
 *
 * <p>Commands that only read use {@link #openExisting}, which opens the store
 * {@linkplain EventStores#openReadOnly read-only}: nothing is created or written, not even a
 * schema, so a SQLite file that does not exist, an empty file, another application's database and
 * a store of an older schema are refused, and a store on a read-only disk can be inspected.
 * Commands that write ({@code init}, {@code import}, {@code demo}, the target of {@code migrate})
 * use {@link #openOrCreate}, which creates the file but refuses a file that is not a SQLite
 * database; in an existing SQLite database it adds the store's tables. SQLite URLs are parsed by
 * the backend's own parser ({@link SQLiteEventStoreProvider#builder(String)}); URLs are printed
 * only {@linkplain #shown(String) redacted}. Stores are opened with an empty {@link EventRegistry}:
 * the tools read stored rows and need no event classes.
 */
final class Stores {

    /** The store the commands use when none is given. */
    static final String DEFAULT_URL = "sqlite:./eventsource.db";

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private static final SQLiteEventStoreProvider SQLITE = new SQLiteEventStoreProvider();

    private Stores() {
    }

    /**
     * A bare file path ({@code ./events.db}, {@code data/app.sqlite}, an existing file) is the SQLite
     * store in that file, so {@code eventsource stats ./events.db} works as {@code sqlite:./events.db}
     * does; everything else is returned as given.
     */
    static String resolve(String url) {
        if (url == null || url.isBlank() || url.equals("memory:") || url.contains("://") || url.startsWith("jdbc:")
                || SQLITE.accepts(url)) {
            return url;
        }
        boolean path = url.contains("/") || url.contains(java.io.File.separator)
                || url.matches("(?i).+\\.(db|db3|sqlite|sqlite3)");
        if (!path) {
            try {
                path = Files.isRegularFile(Path.of(url));
            } catch (java.nio.file.InvalidPathException e) {
                return url;
            }
        }
        return path && !url.contains(":") ? "sqlite:" + url : url;
    }

    /** Opens a store that must already exist, read-only; see the class comment. */
    static EventStoreBackend openExisting(String given) {
        String url = resolve(given);
        requireBackend(url);
        Optional<Path> file = sqliteFile(url);
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.exists(path)) {
                throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, "no SQLite file at "
                        + path.toAbsolutePath().normalize() + "; check the path, or create a store there with: "
                        + BaseCommand.self() + " init " + BaseCommand.shellWord(shown(url)));
            }
            requireSqliteFile(path);
        } else if (SQLITE.accepts(url) || url.equals("memory:")) {
            throw new CommandFailure(ExitCode.USAGE, shown(url) + " is a new, empty in-memory store; there is nothing"
                    + " to read in it. Give the URL of an existing store");
        }
        return open(url, () -> EventStoreBackends.openReadOnly(url, new EventRegistry()));
    }

    /** Opens a store, creating a SQLite file if there is none; see the class comment. */
    static EventStoreBackend openOrCreate(String given) {
        String url = resolve(given);
        requireBackend(url);
        Optional<Path> file = sqliteFile(url);
        if (file.isPresent() && Files.exists(file.get())) {
            requireSqliteFile(file.get());
        }
        return open(url, () -> EventStoreBackends.open(url, new EventRegistry()));
    }

    /** The URL as it may be printed: passwords replaced by {@code ***} ({@link EventStores#redact}). */
    static String shown(String url) {
        return EventStores.redact(url);
    }

    /** {@code text} with every occurrence of {@code url} {@linkplain #shown(String) redacted}. */
    static String shown(String text, String url) {
        return text == null || url == null || url.isEmpty() ? text : text.replace(url, shown(url));
    }

    /**
     * The database file of a SQLite URL, as the SQLite backend parses it; empty for other URLs and
     * in-memory databases.
     */
    static Optional<Path> sqliteFile(String given) {
        String url = resolve(given);
        if (url == null || !SQLITE.accepts(url)) {
            return Optional.empty();
        }
        String database;
        try {
            database = SQLiteEventStoreProvider.builder(url).database();
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, shown(e.getMessage(), url), e);
        }
        return database.equals(SQLiteEventStore.MEMORY) ? Optional.empty() : Optional.of(Path.of(database));
    }

    /** The file of a SQLite URL whose file does not exist yet, i.e. that opening the store would create. */
    static Optional<Path> newSqliteFile(String url) {
        return sqliteFile(url).filter(path -> !Files.exists(path));
    }

    /**
     * Removes a SQLite file (and its companions) that a failed command created and wrote no event
     * into, so a failure leaves nothing behind; the store must be closed. A file that cannot be
     * removed is noted on {@code failure}.
     */
    static void removeCreated(Optional<Path> created, Exception failure) {
        created.ifPresent(path -> {
            try {
                SQLiteEventStore.deleteDatabase(path);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        });
    }

    /** Bytes on disk of a SQLite store: the database plus its WAL and shared-memory files; empty for other stores. */
    static Optional<Long> sizeOnDisk(String url) {
        return sqliteFile(url).map(path -> size(path) + size(Path.of(path + "-wal")) + size(Path.of(path + "-shm")));
    }

    private static long size(Path path) {
        try {
            return Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static EventStoreBackend open(String url, Supplier<EventStoreBackend> opening) {
        try {
            return opening.get();
        } catch (RuntimeException e) {
            int code = e instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.STORE_UNAVAILABLE;
            throw new CommandFailure(code, "cannot open " + shown(url) + ": " + shown(e.getMessage(), url), e);
        }
    }

    /** A URL none of the backends on the class path accepts is a usage error, found before touching anything. */
    private static void requireBackend(String url) {
        if (url == null || url.isBlank()) {
            throw new CommandFailure(ExitCode.USAGE, "the store URL is empty; use e.g. " + DEFAULT_URL);
        }
        if (url.equals("memory:")) {
            return;
        }
        List<String> known = new ArrayList<>(List.of("memory:"));
        for (EventStoreBackendProvider provider : ServiceLoader.load(EventStoreBackendProvider.class, Stores.class.getClassLoader())) {
            if (provider.accepts(url)) {
                return;
            }
            known.addAll(provider.examples());
        }
        throw new CommandFailure(ExitCode.USAGE, "no backend accepts the store URL '" + shown(url) + "'; this build accepts "
                + String.join(", ", known) + ", or the path of a SQLite file (e.g. ./events.db)");
    }

    private static void requireSqliteFile(Path path) {
        if (Files.isDirectory(path)) {
            throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, path.toAbsolutePath().normalize()
                    + " is a directory; give the path of a SQLite file, e.g. sqlite:" + path.resolve("eventsource.db"));
        }
        byte[] head = new byte[SQLITE_HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, "cannot read " + path.toAbsolutePath().normalize() + ": " + e.getMessage(), e);
        }
        // SQLite treats an empty file as an empty database, so only a non-empty file can be foreign.
        if (read > 0 && !Arrays.equals(head, SQLITE_HEADER)) {
            throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, path.toAbsolutePath().normalize() + " is not a SQLite database"
                    + " (it does not start with the SQLite header); nothing was written to it");
        }
    }
}
