package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.sqlite.Notes.NoteUpdated;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.Subscriber;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.TransactionalProjection;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * A separate JVM that runs one subscription over a SQLite file until it is killed (at most a
 * minute), for {@link SQLiteSubscriptionTest}. Handlers are slowed down a little so that a kill
 * lands mid-batch.
 *
 * <ul>
 *   <li>{@code transactional <db>}: {@link #counting()} as a transactional projection;</li>
 *   <li>{@code external <db> <file>}: {@link #appendingTo(Path)}, a plain subscriber, the read
 *       model a file outside the database.</li>
 * </ul>
 */
public final class SubscribingProcess {

    static final int BATCH = 50;

    private SubscribingProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (SQLiteEventStore store = new SQLiteEventStore(args[1], registry());
             SubscriptionManager manager = manager(store)) {
            switch (args[0]) {
                case "transactional" -> manager.subscribe("counting", slow(counting()), options());
                case "external" -> manager.subscribe("external", slow(appendingTo(Path.of(args[2]))), options());
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
            Thread.sleep(60_000);
        }
    }

    static EventRegistry registry() {
        return new EventRegistry().register(NoteCreated.class).register(NoteUpdated.class);
    }

    static SubscriptionManager manager(SQLiteEventStore store) {
        return SubscriptionManager.builder(store).checkpoints(new SQLiteCheckpointStore(store))
                .deadLetters(new SQLiteDeadLetterStore(store)).pollInterval(Duration.ofMillis(50)).build();
    }

    static SubscriptionOptions options() {
        return SubscriptionOptions.builder().batchSize(BATCH).build();
    }

    /** Counts events in {@code counted}; a duplicate delivery would break the primary key of {@code seen}. */
    static TransactionalProjection counting() {
        return new TransactionalProjection() {
            @Override
            public void handle(StoredEvent event, Connection connection) throws Exception {
                try (PreparedStatement seen = connection.prepareStatement("INSERT INTO seen (event_id) VALUES (?)");
                     PreparedStatement count = connection.prepareStatement(
                             "UPDATE counted SET events = events + 1 WHERE id = 1")) {
                    seen.setString(1, event.eventId().toString());
                    seen.executeUpdate();
                    count.executeUpdate();
                }
            }

            @Override
            public void reset(Connection connection) throws Exception {
                try (var sql = connection.createStatement()) {
                    sql.executeUpdate("DELETE FROM seen");
                    sql.executeUpdate("UPDATE counted SET events = 0");
                }
            }
        };
    }

    /** Appends each event id as a line to {@code file}, flushed before the handler returns. */
    static Subscriber appendingTo(Path file) {
        return event -> {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                out.write(event.eventId() + "\n");
            }
        };
    }

    private static TransactionalProjection slow(TransactionalProjection projection) {
        return new TransactionalProjection() {
            @Override
            public void handle(StoredEvent event, Connection connection) throws Exception {
                Thread.sleep(1);
                projection.handle(event, connection);
            }

            @Override
            public void reset(Connection connection) throws Exception {
                projection.reset(connection);
            }
        };
    }

    private static Subscriber slow(Subscriber subscriber) {
        return event -> {
            Thread.sleep(1);
            subscriber.handle(event);
        };
    }

    static void createReadModel(Path db) throws IOException {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var sql = c.createStatement()) {
            sql.executeUpdate("CREATE TABLE seen (event_id TEXT PRIMARY KEY)");
            sql.executeUpdate("CREATE TABLE counted (id INTEGER PRIMARY KEY, events INTEGER NOT NULL)");
            sql.executeUpdate("INSERT INTO counted VALUES (1, 0)");
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        }
    }
}
