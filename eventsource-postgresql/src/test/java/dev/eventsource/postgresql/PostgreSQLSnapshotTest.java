package dev.eventsource.postgresql;

import dev.eventsource.store.UnexpectedStoreException;
import dev.eventsource.EventSourceException;
import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.tck.TckAccount;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots on a real PostgreSQL, used through {@link AggregateRepository} as an application would. */
class PostgreSQLSnapshotTest {

    private final List<PostgreSQLEventStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(PostgreSQLEventStore::close);
    }

    private PostgreSQLEventStore store(String schema) {
        PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(TckAccount.registry()).build();
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
    void state_is_jsonb_that_postgresql_can_query() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        PostgreSQLEventStore store = store(schema);
        UUID id = saveDeposits(repository(store, new PostgreSQLSnapshotStore(store), 3), 1, 3);

        assertThat(rows("SELECT state->>'balance' FROM " + schema + ".eventsource_snapshots WHERE aggregate_id = '" + id + "'"))
                .containsExactly("3");
        assertThat(rows("SELECT pg_typeof(state)::text FROM " + schema + ".eventsource_snapshots")).containsExactly("jsonb");
    }

    @Test
    void state_that_is_not_json_is_refused_with_a_translated_error_and_nothing_is_stored() {
        PostgreSQLSnapshotStore snapshots = new PostgreSQLSnapshotStore(store(PostgresTestServer.freshSchema()));
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> snapshots.save(new Snapshot(id, "Account", 1, 1, "{not json", Instant.now())))
                .isInstanceOf(UnexpectedStoreException.class)
                .hasMessageContaining("save the snapshot of Account " + id)
                .hasMessageContaining("SQLState 22P02")
                .hasCauseInstanceOf(SQLException.class);
        assertThat(snapshots.find(id, "Account")).isEmpty();
    }

    @Test
    void snapshots_live_in_the_stores_schema_under_its_table_prefix() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .tablePrefix("shop_").eventRegistry(TckAccount.registry()).build();
        opened.add(store);

        UUID id = saveDeposits(repository(store, new PostgreSQLSnapshotStore(store), 2), 1, 2);

        assertThat(rows("SELECT aggregate_id::text FROM " + schema + ".shop_snapshots")).containsExactly(id.toString());
    }

    @Test
    void a_snapshot_store_of_a_closed_event_store_refuses_every_call_even_on_a_data_source_still_open() {
        PostgreSQLEventStore store = store(PostgresTestServer.freshSchema());
        PostgreSQLSnapshotStore snapshots = new PostgreSQLSnapshotStore(store);
        snapshots.find(UUID.randomUUID(), "Account");
        store.close();

        assertThatThrownBy(() -> snapshots.find(UUID.randomUUID(), "Account")).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> snapshots.deleteAll("Account")).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void the_first_use_of_a_snapshot_store_creates_the_schema() throws SQLException {
        String schema = PostgresTestServer.freshSchema();

        assertThat(new PostgreSQLSnapshotStore(store(schema)).find(UUID.randomUUID(), "Account")).isEmpty();
        assertThat(rows("SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "' ORDER BY 1"))
                .contains("eventsource_events", "eventsource_snapshots");
    }

    @Test
    void a_schema_at_version_1_gains_the_snapshots_table_and_keeps_its_events() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        UUID id;
        try (PostgreSQLEventStore first = PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema)
                .eventRegistry(TckAccount.registry()).build()) {
            id = saveDeposits(new AggregateRepository<>(first, TckAccount::new, "Account"), 1, 3);
        }
        execute("DROP TABLE " + schema + ".eventsource_snapshots");
        execute("DELETE FROM " + schema + ".eventsource_schema_version WHERE version > 1");

        PostgreSQLEventStore upgraded = store(schema);
        var repo = repository(upgraded, new PostgreSQLSnapshotStore(upgraded), 1);
        TckAccount account = repo.load(id);
        account.deposit(1);
        repo.save(account);

        assertThat(new PostgreSQLSnapshotStore(upgraded).find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(4L);
        assertThat(rows("SELECT version FROM " + schema + ".eventsource_schema_version ORDER BY 1")).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void schema_sql_creates_the_snapshots_table() {
        assertThat(PostgreSQLEventStore.schemaSql("events", "shop_"))
                .contains("CREATE TABLE IF NOT EXISTS events.shop_snapshots", "state          jsonb");
    }

    private static List<String> rows(String sql) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }


}
