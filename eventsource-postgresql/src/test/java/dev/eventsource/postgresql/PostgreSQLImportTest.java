package dev.eventsource.postgresql;

import dev.eventsource.store.EventImporter;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.EventImporter.ImportResult;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What the import contract leaves to PostgreSQL: imports keep the global order gap-safe like appends. */
class PostgreSQLImportTest {

    record Noted(String text) implements DomainEvent {
    }

    private static RecordedEvent row(UUID stream, long version, UUID eventId) {
        Instant at = Instant.parse("2023-03-03T03:03:03.000003Z");
        return new RecordedEvent(eventId, "Noted", 1, stream, "Note", version, 0, at, at, null, "{}",
                "{\"text\":\"imported " + version + "\"}");
    }

    /**
     * An import whose insert has taken positions but is not committed must hold a checkpointing
     * reader back, or the reader would pass those positions, checkpoint an append committed above
     * them, and never see the imported rows. The import is stalled mid-insert by a transaction
     * holding one of its event ids uncommitted (without announcing itself, so only the import's
     * own announcement can hold the reader back).
     */
    @Test
    void a_checkpointing_reader_never_passes_an_import_still_in_progress() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(new EventRegistry().register(Noted.class)).build();
             Connection blocker = PostgresTestServer.connect()) {
            store.initialize();
            UUID stream = UUID.randomUUID();
            UUID stalled = UUID.randomUUID();
            List<RecordedEvent> batch = List.of(row(stream, 1, UUID.randomUUID()), row(stream, 2, UUID.randomUUID()),
                    row(stream, 3, stalled));
            blocker.setAutoCommit(false);
            try (PreparedStatement insert = blocker.prepareStatement("INSERT INTO " + schema + ".eventsource_events"
                    + " (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, occurred_at,"
                    + " recorded_at, metadata, payload) VALUES (?, 'Blocker', ?, 1, 'Noted', 1, now(), now(), '{}', '{}')")) {
                insert.setObject(1, stalled);
                insert.setObject(2, UUID.randomUUID());
                insert.executeUpdate();
            }

            CompletableFuture<ImportResult> importing = CompletableFuture.supplyAsync(() -> store.importRecorded(batch));
            awaitWaitingForLock(importing);
            long appended = store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("appended meanwhile")),
                    ExpectedVersion.NO_STREAM).globalPosition();

            List<StoredEvent> whileImporting = readFrom(store, 0);
            blocker.rollback();
            ImportResult imported = importing.get(2, TimeUnit.MINUTES);
            long checkpoint = whileImporting.isEmpty() ? 0 : whileImporting.get(whileImporting.size() - 1).globalPosition();
            List<StoredEvent> afterwards = readFrom(store, checkpoint);

            assertThat(whileImporting).isEmpty();
            assertThat(imported).isEqualTo(new ImportResult(3, 0));
            assertThat(afterwards).extracting(StoredEvent::eventId)
                    .containsExactly(batch.get(0).eventId(), batch.get(1).eventId(), stalled,
                            afterwards.get(afterwards.size() - 1).eventId());
            assertThat(afterwards.get(afterwards.size() - 1).globalPosition()).isEqualTo(appended);
        }
    }

    private static List<StoredEvent> readFrom(PostgreSQLEventStore store, long checkpoint) {
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().fromPosition(checkpoint).build())) {
            return events.toList();
        }
    }

    /** Waits until some session waits for a transaction's lock: the import's insert, stalled on the blocker's row. */
    private static void awaitWaitingForLock(CompletableFuture<?> importing) throws SQLException, InterruptedException {
        long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Connection c = PostgresTestServer.connect();
             PreparedStatement waiting = c.prepareStatement(
                     "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'")) {
            while (true) {
                if (importing.isDone()) {
                    throw new AssertionError("the import finished although a row it inserts was held: " + importing.join());
                }
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                if (System.nanoTime() > guard) {
                    throw new AssertionError("the import never waited for the blocking transaction");
                }
                Thread.sleep(20);
            }
        }
    }
}
