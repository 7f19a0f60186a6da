package dev.eventsource.sqlite;

import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.EventSourceException;
import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.tck.TckAccount;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.sqlite.internal.Schema;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots in a SQLite file, used through {@link AggregateRepository} as an application would. */
class SQLiteSnapshotTest {

    @TempDir
    Path dir;

    private final List<SQLiteEventStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(SQLiteEventStore::close);
    }

    private SQLiteEventStore store(Path db) {
        SQLiteEventStore store = new SQLiteEventStore(db.toString(), TckAccount.registry());
        opened.add(store);
        return store;
    }

    private static AggregateRepository<TckAccount> repository(EventStore store, SnapshotStore snapshots, int every) {
        return AggregateRepository.builder(store, TckAccount::new, "Account")
                .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(every)).build();
    }

    private static UUID saveDeposits(AggregateRepository<TckAccount> repo, int saves, int depositsPerSave) {
        UUID id = UUID.randomUUID();
        TckAccount account = repo.createNew(id);
        for (int s = 0; s < saves; s++) {
            for (int i = 0; i < depositsPerSave; i++) {
                account.deposit(1);
            }
            repo.save(account);
        }
        return id;
    }

    @Test
    void snapshots_survive_reopening_the_file() {
        Path db = dir.resolve("reopen.db");
        UUID id;
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), TckAccount.registry())) {
            id = saveDeposits(repository(store, new SQLiteSnapshotStore(store), 10), 1, 12);
        }

        SQLiteEventStore reopened = store(db);
        var repo = repository(reopened, new SQLiteSnapshotStore(reopened), 10);

        assertThat(repo.load(id).state().balance()).isEqualTo(12);
        assertThat(repo.snapshotStats().loaded()).isEqualTo(1);
    }

    @Test
    void snapshot_writes_from_many_threads_queue_behind_appends_without_busy_errors() throws Exception {
        SQLiteEventStore store = store(dir.resolve("busy.db"));
        ExecutorService background = Executors.newFixedThreadPool(4);
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            var repo = AggregateRepository.builder(store, TckAccount::new, "Account")
                    .snapshots(new SQLiteSnapshotStore(store)).snapshotPolicy(SnapshotPolicy.everyEvents(1))
                    .snapshotExecutor(background).build();
            List<Future<UUID>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                done.add(writers.submit(() -> saveDeposits(repo, 20, 1)));
            }
            List<UUID> ids = new ArrayList<>();
            for (Future<UUID> f : done) {
                ids.add(f.get());
            }
            assertThat(repo.awaitSnapshots(java.time.Duration.ofSeconds(30))).isTrue();

            assertThat(repo.snapshotStats().failed()).isZero();
            assertThat(repo.snapshotStats().taken()).isEqualTo(160);
            for (UUID id : ids) {
                assertThat(new SQLiteSnapshotStore(store).find(id, "Account")).get().extracting(Snapshot::version)
                        .isEqualTo(20L);
            }
        } finally {
            writers.shutdownNow();
            background.shutdownNow();
        }
    }

    @Test
    void the_snapshot_store_works_on_a_memory_database_through_the_stores_single_connection() {
        SQLiteEventStore store = new SQLiteEventStore(SQLiteEventStore.MEMORY, TckAccount.registry());
        opened.add(store);
        var repo = repository(store, new SQLiteSnapshotStore(store), 5);

        UUID id = saveDeposits(repo, 1, 6);

        assertThat(repository(store, new SQLiteSnapshotStore(store), 5).load(id).state().balance()).isEqualTo(6);
        assertThat(new SQLiteSnapshotStore(store).find(id, "Account")).isPresent();
    }

    @Test
    void the_first_use_of_a_snapshot_store_initializes_its_event_store() {
        SQLiteEventStore store = store(dir.resolve("lazy.db"));

        assertThat(new SQLiteSnapshotStore(store).find(UUID.randomUUID(), "Account")).isEmpty();
        assertThat(store.isConnected()).isTrue();
    }

    @Test
    void a_snapshot_store_of_a_closed_event_store_refuses_every_call() {
        SQLiteEventStore store = store(dir.resolve("closed.db"));
        SQLiteSnapshotStore snapshots = new SQLiteSnapshotStore(store);
        snapshots.find(UUID.randomUUID(), "Account");
        store.close();

        assertThatThrownBy(() -> snapshots.find(UUID.randomUUID(), "Account")).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> snapshots.deleteAll("Account")).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void a_file_that_is_not_a_database_fails_with_a_translated_error_naming_it() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a database, just some text that is long enough to be looked at by SQLite. ".repeat(20));
        SQLiteSnapshotStore snapshots = new SQLiteSnapshotStore(store(text));

        assertThatThrownBy(() -> snapshots.find(UUID.randomUUID(), "Account"))
                .isInstanceOf(IncompatibleStoreException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("is not a SQLite database")
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void a_database_at_schema_version_1_gains_the_snapshots_table_and_keeps_its_events() throws Exception {
        Path db = dir.resolve("v1.db");
        UUID id;
        try (SQLiteEventStore store = new SQLiteEventStore(db.toString(), TckAccount.registry())) {
            id = saveDeposits(new AggregateRepository<>(store, TckAccount::new, "Account"), 1, 3);
        }
        execute(db, "DROP TABLE snapshots");
        execute(db, "DELETE FROM eventsource_schema WHERE version > 1");

        SQLiteEventStore upgraded = store(db);
        var repo = repository(upgraded, new SQLiteSnapshotStore(upgraded), 1);
        TckAccount account = repo.load(id);
        account.deposit(1);
        repo.save(account);

        assertThat(new SQLiteSnapshotStore(upgraded).find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(4L);
        assertThat(query(db, "SELECT MAX(version) FROM eventsource_schema")).isEqualTo(Schema.CURRENT_VERSION);
    }

    @Test
    void schema_sql_creates_a_database_that_a_store_recognises_and_leaves_alone() throws Exception {
        Path db = dir.resolve("by-hand.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
            sql.executeUpdate("BEGIN");
            for (String statement : SQLiteEventStore.schemaSql().split(";\n")) {
                if (!statement.isBlank()) {
                    sql.executeUpdate(statement);
                }
            }
            sql.executeUpdate("COMMIT");
        }

        SQLiteEventStore store = store(db);
        UUID id = saveDeposits(repository(store, new SQLiteSnapshotStore(store), 2), 1, 2);

        assertThat(new SQLiteSnapshotStore(store).find(id, "Account")).isPresent();
        assertThat(query(db, "SELECT COUNT(*) FROM eventsource_schema")).isEqualTo(Schema.CURRENT_VERSION);
    }

    @Test
    void schema_sql_contains_every_table_the_store_creates() {
        assertThat(SQLiteEventStore.schemaSql())
                .contains("CREATE TABLE events", "CREATE TABLE snapshots", "CREATE TABLE IF NOT EXISTS eventsource_schema",
                        "CREATE INDEX events_by_tenant");
    }

    @Test
    void state_is_stored_as_json_text_that_sqlite_json_functions_can_read() throws Exception {
        Path db = dir.resolve("json.db");
        SQLiteEventStore store = store(db);
        UUID id = saveDeposits(repository(store, new SQLiteSnapshotStore(store), 3), 1, 3);

        assertThat(query(db, "SELECT json_extract(state, '$.balance') FROM snapshots WHERE aggregate_id = unhex(replace('" + id + "', '-', ''))"))
                .isEqualTo(3);
        assertThat(new SQLiteSnapshotStore(store).find(id, "Account")).get()
                .satisfies(s -> assertThat(s.takenAt()).isBefore(Instant.now().plusSeconds(1)));
    }

    private static void execute(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static long query(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }


}
