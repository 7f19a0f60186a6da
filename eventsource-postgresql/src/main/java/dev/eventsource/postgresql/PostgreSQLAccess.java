package dev.eventsource.postgresql;

import dev.eventsource.jdbc.JdbcAccess;
import dev.eventsource.postgresql.internal.PgErrors;
import dev.eventsource.postgresql.internal.PostgreSQLDialect;
import dev.eventsource.subscription.TransactionalCheckpointStore.TransactionWork;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the shared stores reach a {@link PostgreSQLEventStore}'s tables: through its data source,
 * in its schema and under its table prefix; each statement on a pooled connection in autocommit
 * mode, a transaction on one pooled connection. Driver errors are translated as the event store
 * translates them.
 */
final class PostgreSQLAccess extends JdbcAccess {

    private final PostgreSQLEventStore events;

    PostgreSQLAccess(PostgreSQLEventStore events) {
        // Both names were validated by the event store's builder; nothing else reaches SQL text.
        super(new PostgreSQLDialect(events.schema(), events.tablePrefix()), events, events.toString());
        this.events = events;
    }

    @Override
    protected <T> T read(String action, SqlWork<T> work) {
        return events.run(action, work::run);
    }

    @Override
    protected <T> T write(String action, SqlWork<T> work) {
        return events.run(action, work::run);
    }

    @Override
    protected void inTransaction(String action, TransactionWork work) throws Exception {
        try (Connection c = events.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (Exception e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PgErrors.translate(events.toString(), action, e);
        }
    }
}
