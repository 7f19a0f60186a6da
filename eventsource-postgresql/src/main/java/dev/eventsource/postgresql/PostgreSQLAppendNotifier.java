package dev.eventsource.postgresql;

import dev.eventsource.postgresql.internal.EventsTable;
import dev.eventsource.subscription.AppendNotifier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Wakes live subscriptions when any process appends to a {@link PostgreSQLEventStore}'s events:
 * {@code LISTEN}s on the channel that every {@link PostgreSQLEventStore} on the same schema and
 * prefix {@code NOTIFY}s after its appends and imports commit (one notification, in a transaction
 * of its own, for however many appends committed while the previous one was sent; see
 * {@link PostgreSQLEventStore#notifications()}).
 *
 * <pre>{@code
 * SubscriptionManager.builder(store)
 *         .checkpoints(new PostgreSQLCheckpointStore(store))
 *         .appendNotifier(new PostgreSQLAppendNotifier(store))
 *         .build();
 * }</pre>
 *
 * <p>It holds one connection of the store's data source for as long as it runs (size pools for
 * it), on a daemon thread of its own. Notifications only wake subscriptions up: what they read is
 * still bounded by the gap-safe readable position, so a missed or early notification costs at most
 * a poll interval, never an event. A notification is lost when the writing process dies between
 * its commit and the send, or the send fails; rows written by other means than a
 * {@link PostgreSQLEventStore} (plain SQL) send none. Subscriptions find those at their next poll
 * ({@code SubscriptionManager.Builder.pollInterval}). When the connection fails it reconnects after
 * a second, and subscriptions fall back on polling meanwhile.
 */
public final class PostgreSQLAppendNotifier implements AppendNotifier {

    private static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final int WAIT_MILLIS = 250;

    private final PostgreSQLEventStore events;
    private final String channel;
    private volatile boolean closed;
    private volatile Thread thread;

    /** A notifier for the events of {@code events}, through its data source. */
    public PostgreSQLAppendNotifier(PostgreSQLEventStore events) {
        this.events = Objects.requireNonNull(events, "events");
        this.channel = EventsTable.channel(events.schema(), events.tablePrefix());
    }

    /** The notification channel: {@code <schema>.<prefix>events}, cut to 63 characters. */
    public String channel() {
        return channel;
    }

    @Override
    public void start(Runnable wakeUp) {
        Objects.requireNonNull(wakeUp, "wakeUp");
        if (thread != null) {
            throw new IllegalStateException("this PostgreSQLAppendNotifier was started already; create one per manager");
        }
        Thread t = new Thread(() -> listen(wakeUp), "eventsource-listen-" + channel);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.MILLISECONDS.toMillis(WAIT_MILLIS * 4L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "PostgreSQLAppendNotifier(" + channel + ")";
    }

    private void listen(Runnable wakeUp) {
        while (!closed && !events.isClosed()) {
            try (Connection c = events.dataSource().getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN \"" + channel + "\"");
                }
                // Events appended while we were not listening are found by the read this wake-up causes.
                wakeUp.run();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed && !events.isClosed()) {
                    PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
                    if (received != null && received.length > 0) {
                        wakeUp.run();
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                // The database or the pool went away; subscriptions poll meanwhile, and we listen again shortly.
                try {
                    Thread.sleep(RECONNECT.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
