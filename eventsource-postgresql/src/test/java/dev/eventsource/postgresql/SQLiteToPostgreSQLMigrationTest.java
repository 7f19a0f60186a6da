package dev.eventsource.postgresql;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.SerializationException;
import dev.eventsource.migration.MigrationProgress;
import dev.eventsource.migration.MigrationReport;
import dev.eventsource.migration.StoreMigration;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tck.TckEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Moving an application from a SQLite file to PostgreSQL with {@link StoreMigration}. */
class SQLiteToPostgreSQLMigrationTest {

    private static final int STREAMS = 6;
    private static final int EVENTS_PER_STREAM = 20;

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(TckEvent.class);

    @Test
    void copies_a_sqlite_file_into_postgresql_and_reads_back_every_field_in_global_order() {
        try (SQLiteEventStore source = filledSqliteFile(); PostgreSQLEventStore target = emptyPostgreSQL()) {
            MigrationReport report = StoreMigration.copy(source, target, 25, p -> { });

            assertThat(report.events()).isEqualTo(STREAMS * EVENTS_PER_STREAM);
            assertThat(report.copied()).isEqualTo(STREAMS * EVENTS_PER_STREAM);
            assertThat(report.streams()).isEqualTo(STREAMS);
            assertSameEvents(target, source);
        }
    }

    @Test
    void an_interrupted_copy_resumes_to_completion_without_duplicates() {
        try (SQLiteEventStore source = filledSqliteFile(); PostgreSQLEventStore target = emptyPostgreSQL()) {
            List<MigrationProgress> seen = new ArrayList<>();
            assertThatThrownBy(() -> StoreMigration.copy(source, target, 25, p -> {
                seen.add(p);
                if (seen.size() == 2) {
                    throw new IllegalStateException("interrupted after two batches");
                }
            })).hasMessage("interrupted after two batches");
            assertThat(all(target)).hasSize(50);

            MigrationReport resumed = StoreMigration.copy(source, target, 25, p -> { });

            assertThat(resumed.skipped()).isEqualTo(50);
            assertThat(resumed.copied()).isEqualTo(STREAMS * EVENTS_PER_STREAM - 50);
            assertSameEvents(target, source);
        }
    }

    @Test
    void copying_again_into_a_complete_target_writes_nothing() {
        try (SQLiteEventStore source = filledSqliteFile(); PostgreSQLEventStore target = emptyPostgreSQL()) {
            StoreMigration.copy(source, target);
            long position = target.globalPosition();

            MigrationReport again = StoreMigration.copy(source, target);

            assertThat(again.copied()).isZero();
            assertThat(again.skipped()).isEqualTo(STREAMS * EVENTS_PER_STREAM);
            assertThat(target.globalPosition()).isEqualTo(position);
        }
    }

    @Test
    void refuses_a_row_stored_before_the_limits_existed_naming_it_and_copies_nothing_of_its_batch() throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".db");
        UUID good = UUID.randomUUID();
        UUID legacy = UUID.randomUUID();
        try (SQLiteEventStore store = new SQLiteEventStore(file.toString(), registry)) {
            store.append(UUID.randomUUID(), "Account", List.of(NewEvent.of(new TckEvent.Created("fine")).withEventId(good)),
                    ExpectedVersion.NO_STREAM);
            store.append(UUID.randomUUID(), "Account", List.of(NewEvent.of(new TckEvent.Created("legacy")).withEventId(legacy)),
                    ExpectedVersion.NO_STREAM);
        }
        // Older versions accepted a NUL in an aggregate type on SQLite; PostgreSQL can never hold one.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement s = c.prepareStatement("UPDATE events SET aggregate_type = 'Acc' || char(0) || 'ount'"
                     + " WHERE event_id = unhex(replace(?, '-', ''))")) {
            s.setString(1, legacy.toString());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        try (SQLiteEventStore source = new SQLiteEventStore(file.toString(), registry);
             PostgreSQLEventStore target = emptyPostgreSQL()) {
            assertThatThrownBy(() -> StoreMigration.copy(source, target))
                    .isInstanceOfSatisfying(SerializationException.class, e -> assertThat(e.eventId()).isEqualTo(legacy))
                    .hasMessageContaining(legacy.toString()).hasMessageContaining("aggregateType")
                    .hasMessageContaining("U+0000");
            assertThat(target.globalPosition()).isZero();
        }
    }

    /** Same events in the same order with every field equal; positions are the target's own, increasing. */
    private static void assertSameEvents(EventStore target, EventStore source) {
        List<StoredEvent> copied = all(target);
        List<StoredEvent> original = all(source);
        assertThat(copied).extracting(StoredEvent::globalPosition).isSorted().doesNotHaveDuplicates();
        assertThat(copied.stream().map(SQLiteToPostgreSQLMigrationTest::withoutPosition).toList())
                .isEqualTo(original.stream().map(SQLiteToPostgreSQLMigrationTest::withoutPosition).toList());
        for (StoredEvent e : original) {
            assertThat(target.getStreamVersion(e.aggregateId(), e.aggregateType()))
                    .isEqualTo(source.getStreamVersion(e.aggregateId(), e.aggregateType()));
        }
    }

    private static StoredEvent withoutPosition(StoredEvent e) {
        return new StoredEvent(e.eventId(), e.eventType(), e.aggregateId(), e.aggregateType(), e.version(), 0,
                e.occurredAt(), e.recordedAt(), e.metadata(), e.event());
    }

    private static List<StoredEvent> all(EventStore store) {
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().pageSize(33).build())) {
            return events.toList();
        }
    }

    /** Interleaved streams of two types, every payload shape, metadata with tenants and extras, times in the past. */
    private SQLiteEventStore filledSqliteFile() {
        SQLiteEventStore store = new SQLiteEventStore(dir.resolve(UUID.randomUUID() + ".db").toString(), registry);
        List<UUID> ids = Stream.generate(UUID::randomUUID).limit(STREAMS).toList();
        Instant start = Instant.parse("2024-01-02T03:04:05.678901Z");
        for (int i = 0; i < EVENTS_PER_STREAM; i++) {
            for (int s = 0; s < STREAMS; s++) {
                EventMetadata metadata = new EventMetadata("tenant-" + s % 3, UUID.randomUUID(), UUID.randomUUID(), null,
                        Map.of("step", Integer.toString(i), "note", "caf\u00e9 \u2615"));
                NewEvent event = new NewEvent(payload(i, s), UUID.randomUUID(), start.plusSeconds(i * 60L + s), metadata);
                store.append(ids.get(s), s % 2 == 0 ? "Account" : "Order", List.of(event), ExpectedVersion.exactly(i));
            }
        }
        return store;
    }

    private static TckEvent payload(int i, int s) {
        return switch (i % 4) {
            case 0 -> new TckEvent.Created("stream " + s);
            case 1 -> new TckEvent.Renamed("renamed " + i, i);
            case 2 -> new TckEvent.Priced(new BigDecimal("12.50").add(BigDecimal.valueOf(i)), TckEvent.Channel.MOBILE,
                    Instant.parse("2030-01-01T00:00:00.000001Z"), UUID.randomUUID());
            default -> new TckEvent.Detailed(new TckEvent.Address("Main St " + i, "Ghent"), List.of("a", "b"),
                    Map.of("x", i), i % 8 == 3 ? Optional.empty() : Optional.of("note"));
        };
    }

    private PostgreSQLEventStore emptyPostgreSQL() {
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(PostgresTestServer.freshSchema())
                .eventRegistry(registry).build();
    }
}
