package dev.eventsource.examples;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.examples.Quickstart.NoteAggregate;
import dev.eventsource.examples.Quickstart.NoteCreated;
import dev.eventsource.sqlite.SQLiteCheckpointStore;
import dev.eventsource.sqlite.SQLiteDeadLetterStore;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.SubscriptionState;
import dev.eventsource.subscription.TransactionalProjection;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A read model kept by a projection: how many notes exist per title, in a table of the same
 * SQLite file as the events, updated in the transaction that saves the subscription's checkpoint
 * (exactly-once). The program saves notes, lets the projection catch up, saves one more while it
 * is live, and rebuilds it from the beginning.
 *
 * <p>Run with {@code mvn -q -pl eventsource-examples exec:java -Dexec.mainClass=dev.eventsource.examples.NotesByTitle};
 * the first argument, if any, is the database file (default {@code notes_by_title.db}, deleted at the end).
 */
public final class NotesByTitle implements TransactionalProjection {

    private NotesByTitle() {
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("NoteCreated");
    }

    @Override
    public void handle(StoredEvent event, Connection connection) throws SQLException {
        NoteCreated created = (NoteCreated) event.event();
        try (PreparedStatement count = connection.prepareStatement("INSERT INTO notes_by_title (title, notes) VALUES (?, 1)"
                + " ON CONFLICT (title) DO UPDATE SET notes = notes + 1")) {
            count.setString(1, created.title());
            count.executeUpdate();
        }
    }

    @Override
    public void reset(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.executeUpdate("DELETE FROM notes_by_title");
        }
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args.length > 0 ? args[0] : "notes_by_title.db");
        try (SQLiteEventStore store = new SQLiteEventStore(database.toString())) {
            store.initialize();
            SQLiteCheckpointStore checkpoints = new SQLiteCheckpointStore(store);
            // The read model's table is the application's own; here it is created in a transaction of the events' database.
            checkpoints.saveInTransaction(null, c -> {
                try (Statement sql = c.createStatement()) {
                    sql.executeUpdate("CREATE TABLE IF NOT EXISTS notes_by_title (title TEXT PRIMARY KEY, notes INTEGER NOT NULL)");
                }
            });
            var notes = new AggregateRepository<>(store, NoteAggregate::new, "Note");
            save(notes, "Meeting Notes", "Discuss Q4 roadmap");
            save(notes, "Meeting Notes", "Plan the offsite");
            save(notes, "Shopping", "Milk, eggs");

            try (SubscriptionManager manager = SubscriptionManager.builder(store).checkpoints(checkpoints)
                    .deadLetters(new SQLiteDeadLetterStore(store)).build()) {
                Subscription projection = manager.subscribe("notes-by-title", new NotesByTitle(),
                        SubscriptionOptions.DEFAULTS);
                awaitCaughtUp(projection);
                System.out.println("After catch-up: " + readModel(database));

                save(notes, "Shopping", "Bread");
                awaitCaughtUp(projection);
                System.out.println("Live:           " + readModel(database));

                manager.rebuild("notes-by-title");
                awaitCaughtUp(projection);
                System.out.println("Rebuilt:        " + readModel(database));
                System.out.println("Checkpoint:     " + checkpoints.find("notes-by-title").orElseThrow().eventsProcessed()
                        + " events processed");
            }
        } finally {
            SQLiteEventStore.deleteDatabase(database);
        }
    }

    private static void save(AggregateRepository<NoteAggregate> notes, String title, String content) {
        NoteAggregate note = notes.createNew(UUID.randomUUID());
        note.create(title, content);
        notes.save(note);
    }

    private static void awaitCaughtUp(Subscription subscription) throws InterruptedException {
        while (subscription.state() != SubscriptionState.LIVE || subscription.health().lagEvents() > 0) {
            Thread.sleep(5);
        }
    }

    private static Map<String, Long> readModel(Path database) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT title, notes FROM notes_by_title ORDER BY title")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }
}
