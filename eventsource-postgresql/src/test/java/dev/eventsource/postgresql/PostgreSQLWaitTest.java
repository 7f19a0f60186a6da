package dev.eventsource.postgresql;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendOutcomeUnknownException;
import dev.eventsource.store.EventStoreInterruptedException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits of a store that owns its pool: for a pooled connection and for a statement blocked by
 * another session. The bounds are far below the pool's 30 s connection timeout.
 */
class PostgreSQLWaitTest {

    record Noted(String text) implements DomainEvent {
    }

    /** What one appending thread saw: its outcome and its interrupt flag afterwards. */
    record Attempt(Object outcome, boolean interruptFlag) {
    }

    @Test
    void an_interrupted_append_waiting_for_a_pooled_connection_leaves_promptly_with_its_flag_set_and_nothing_written()
            throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = store(schema, 1)) {
            UUID id = UUID.randomUUID();
            Thread[] thread = new Thread[1];
            CompletableFuture<Attempt> waiting;
            try (Connection taken = store.dataSource().getConnection()) {
                waiting = attempt(store, id, List.of(NewEvent.of(new Noted("x"))), thread);
                await(() -> thread[0].getState() == Thread.State.TIMED_WAITING);

                thread[0].interrupt();
                Attempt interrupted = waiting.get(10, TimeUnit.SECONDS);

                assertThat(interrupted.outcome()).isInstanceOf(EventStoreInterruptedException.class);
                assertThat(interrupted.interruptFlag()).isTrue();
            }
            assertThat(store.getStreamVersion(id, "Note")).isZero();
        }
    }

    @Test
    void closing_the_store_reports_a_blocked_append_as_unknown_and_releases_one_waiting_for_a_connection_as_closed()
            throws Exception {
        String schema = PostgresTestServer.freshSchema();
        UUID blockedStream = UUID.randomUUID();
        UUID waitingStream = UUID.randomUUID();
        List<NewEvent> blockedBatch = List.of(NewEvent.of(new Noted("blocked")));
        PostgreSQLEventStore store = store(schema, 1);
        try (Connection other = PostgresTestServer.connect(); Statement sql = other.createStatement()) {
            other.setAutoCommit(false);
            sql.execute("LOCK TABLE " + schema + ".eventsource_events IN ACCESS EXCLUSIVE MODE");
            Thread[] blockedThread = new Thread[1];
            CompletableFuture<Attempt> blocked = attempt(store, blockedStream, blockedBatch, blockedThread);
            await(() -> waitingForLock(sql, schema));
            Thread[] waitingThread = new Thread[1];
            CompletableFuture<Attempt> waiting = attempt(store, waitingStream, List.of(NewEvent.of(new Noted("w"))),
                    waitingThread);
            await(() -> waitingThread[0].getState() == Thread.State.TIMED_WAITING);

            store.close();

            Attempt closed = waiting.get(10, TimeUnit.SECONDS);
            Attempt unknown = blocked.get(10, TimeUnit.SECONDS);
            assertThat(closed.outcome()).isInstanceOf(StoreClosedException.class);
            assertThat(unknown.outcome()).isInstanceOf(AppendOutcomeUnknownException.class);
            assertThat(((AppendOutcomeUnknownException) unknown.outcome()).eventIds())
                    .containsExactly(blockedBatch.get(0).eventId());
            assertThat((Throwable) unknown.outcome()).hasMessageContaining("same event ids");
            other.rollback();
        } finally {
            store.close();
        }
        try (PostgreSQLEventStore reopened = store(schema, 2)) {
            assertThat(reopened.getStreamVersion(waitingStream, "Note")).isZero();
            reopened.append(blockedStream, "Note", blockedBatch, ExpectedVersion.NO_STREAM);
            assertThat(reopened.getStreamVersion(blockedStream, "Note")).isEqualTo(1);
        }
    }

    private static PostgreSQLEventStore store(String schema, int connections) {
        PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.url()).schema(schema)
                .maxPoolSize(connections).eventRegistry(new EventRegistry().register(Noted.class)).build();
        store.initialize();
        return store;
    }

    private static boolean waitingForLock(Statement sql, String schema) {
        try (var rs = sql.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND n.nspname = '" + schema + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<Attempt> attempt(PostgreSQLEventStore store, UUID id, List<NewEvent> batch,
                                                      Thread[] thread) {
        CompletableFuture<Attempt> attempt = new CompletableFuture<>();
        thread[0] = new Thread(() -> {
            Object outcome;
            try {
                outcome = store.append(id, "Note", batch, ExpectedVersion.NO_STREAM);
            } catch (RuntimeException e) {
                outcome = e;
            }
            attempt.complete(new Attempt(outcome, Thread.currentThread().isInterrupted()));
        });
        thread[0].start();
        return attempt;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for the setup").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
