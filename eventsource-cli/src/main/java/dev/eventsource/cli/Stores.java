package dev.eventsource.cli;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStoreProvider;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.spi.EventImporter;
import dev.eventsource.store.spi.RecordedEventReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens stores from the URLs of {@link EventStores#open(String)} the way the commands need them.
 *
 * <p>Commands that only read use {@link #openExisting}: a SQLite file that does not exist is an
 * error (a typo must not silently create an empty database), and so is a file that is not a
 * SQLite database or is another application's SQLite database. Commands that write
 * ({@code init}, {@code import}, {@code demo}, the target of {@code migrate}) use
 * {@link #openOrCreate}, which creates the file but still refuses a file that is not a SQLite
 * database; in an existing SQLite database it adds the store's tables. Stores are opened with an
 * empty {@link EventRegistry}: the tools read stored rows and need no event classes.
 */
final class Stores {

    /** The store the commands use when none is given. */
    static final String DEFAULT_URL = "sqlite:./eventsource.db";

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private Stores() {
    }

    /** Opens a store that must already exist; see the class comment. */
    static EventStore openExisting(String url) {
        requireBackend(url);
        Optional<Path> file = sqliteFile(url);
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.exists(path)) {
                throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, "no SQLite file at " + path.toAbsolutePath().normalize()
                        + "; check the path, or create a store there with: " + BaseCommand.self() + " init " + url);
            }
            requireSqliteFile(path);
            requireEventStoreTables(path);
        }
        return open(url);
    }

    /** Opens a store, creating a SQLite file if there is none; see the class comment. */
    static EventStore openOrCreate(String url) {
        requireBackend(url);
        Optional<Path> file = sqliteFile(url);
        if (file.isPresent() && Files.exists(file.get())) {
            requireSqliteFile(file.get());
        }
        return open(url);
    }

    /** The store's stored-row reader, or a failure naming the store. */
    static RecordedEventReader reader(EventStore store) {
        if (store instanceof RecordedEventReader reader) {
            return reader;
        }
        throw new CommandFailure(ExitCode.FAILURE, store + " cannot list its stored rows (its backend does not implement"
                + " RecordedEventReader), so the tools cannot read it");
    }

    /** The store's importer, or a failure naming the store. */
    static EventImporter importer(EventStore store) {
        if (store instanceof EventImporter importer) {
            return importer;
        }
        throw new CommandFailure(ExitCode.FAILURE, store + " cannot import events: its backend does not implement"
                + " EventImporter in this version");
    }

    /**
     * The database file of a SQLite URL ({@code sqlite:PATH}, {@code jdbc:sqlite:PATH}, with or
     * without a {@code file:} prefix and {@code ?} parameters), or empty for other URLs and in-memory databases.
     */
    static Optional<Path> sqliteFile(String url) {
        String rest;
        if (url.startsWith("jdbc:sqlite:")) {
            rest = url.substring("jdbc:sqlite:".length());
        } else if (url.startsWith("sqlite:")) {
            rest = url.substring("sqlite:".length());
        } else {
            return Optional.empty();
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":memory:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(rest));
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

    private static EventStore open(String url) {
        try {
            return EventStores.open(url, new EventRegistry());
        } catch (RuntimeException e) {
            throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, "cannot open " + url + ": " + e.getMessage(), e);
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
        for (EventStoreProvider provider : ServiceLoader.load(EventStoreProvider.class, Stores.class.getClassLoader())) {
            if (provider.accepts(url)) {
                return;
            }
            known.addAll(provider.examples());
        }
        throw new CommandFailure(ExitCode.USAGE, "no backend accepts the store URL '" + url + "'; this build accepts "
                + String.join(", ", known));
    }

    /**
     * Opening a store creates its tables, so a read command pointed at another application's
     * SQLite database would add them there; a database that has tables but not the store's
     * schema table is refused instead. The table name is the SQLite backend's, which offers no
     * API to ask.
     */
    private static void requireEventStoreTables(Path path) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + path);
             Statement sql = connection.createStatement();
             ResultSet tables = sql.executeQuery("SELECT COUNT(*), COALESCE(SUM(name = 'eventsource_schema'), 0)"
                     + " FROM sqlite_master WHERE type = 'table'")) {
            tables.next();
            if (tables.getLong(1) > 0 && tables.getLong(2) == 0) {
                throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, path.toAbsolutePath().normalize() + " is a SQLite database but"
                        + " not an event store (it has tables, none of them the store's); nothing was written to it");
            }
        } catch (SQLException e) {
            throw new CommandFailure(ExitCode.STORE_UNAVAILABLE, "cannot read " + path.toAbsolutePath().normalize() + ": " + e.getMessage(), e);
        }
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
