package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.postgresql.internal.EventsTable;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamId;
import dev.eventsource.tck.MultiWriterOrderingContract;
import dev.eventsource.test.PostgresTestServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The gap-safety torture test on PostgreSQL. Held-open and rolled-back appends run the store's own
 * SQL ({@link EventsTable#appendInTransaction}) on connections outside its pool.
 */
class PostgreSQLMultiWriterOrderingTest extends MultiWriterOrderingContract {

    @Override
    protected EventStore newStore(EventRegistry registry) {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(PostgresTestServer.freshSchema())
                .eventRegistry(registry)
                .build();
    }

    @Override
    protected PendingAppend beginAppend(EventStore store, UUID aggregateId, String aggregateType, List<NewEvent> events) {
        PostgreSQLEventStore pg = (PostgreSQLEventStore) store;
        List<SerializedEvent> serialized = events.stream().map(pg.mapper()::serialize).toList();
        try {
            Connection c = PostgresTestServer.connect();
            c.setAutoCommit(false);
            new EventsTable(pg.schema(), pg.tablePrefix()).appendInTransaction(c, new StreamId(aggregateType, aggregateId),
                    serialized, ExpectedVersion.NO_STREAM, Instant.now().truncatedTo(ChronoUnit.MICROS));
            return new PendingAppend() {
                @Override
                public void commit() {
                    end(c, true);
                }

                @Override
                public void rollback() {
                    end(c, false);
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void end(Connection c, boolean commit) {
        try (c) {
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
