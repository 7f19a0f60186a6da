package dev.eventsource.sqlite;

import dev.eventsource.jdbc.JdbcAccess;
import dev.eventsource.sqlite.internal.Schema;
import dev.eventsource.subscription.TransactionalCheckpointStore.TransactionWork;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * How the shared stores reach a {@link SQLiteEventStore}'s database: reads on its reader
 * connections, writes on its single writer connection under its write lock (so they queue behind
 * appends rather than fight them for SQLite's lock), transactions as {@code BEGIN IMMEDIATE} on
 * that writer. Driver errors are translated as the event store translates them.
 */
final class SQLiteAccess extends JdbcAccess {

    private final SQLiteEventStore events;

    SQLiteAccess(SQLiteEventStore events) {
        super(events.dialect(), events, events.database());
        this.events = events;
    }

    // The event store's messages read "error while <action>"; the shared stores name their actions as verbs.
    @Override
    protected <T> T read(String action, SqlWork<T> work) {
        return events.read("trying to " + action, work::run);
    }

    @Override
    protected <T> T write(String action, SqlWork<T> work) {
        return events.write("trying to " + action, work::run);
    }

    /** Rolls back and rethrows the work's own exception when it fails; a driver error is translated. */
    @Override
    protected void inTransaction(String action, TransactionWork work) throws Exception {
        Exception[] failure = new Exception[1];
        write(action, c -> {
            try (Statement control = c.createStatement()) {
                control.execute("BEGIN IMMEDIATE");
                try {
                    work.run(c);
                    control.execute("COMMIT");
                } catch (Exception e) {
                    Schema.rollbackQuietly(control, e);
                    if (e instanceof SQLException sql) {
                        throw sql;
                    }
                    failure[0] = e;
                }
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
