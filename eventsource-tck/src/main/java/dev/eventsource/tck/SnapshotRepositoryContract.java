package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tenant.CrossTenantAccessException;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots used through {@link AggregateRepository} as an application would, on a backend's
 * event store and snapshot store: the crossing rule, loads equal to full replays, a damaged
 * snapshot (text that is not JSON, or JSON that is not exactly the state: {@code null}, missing,
 * unknown or null-for-a-number fields) falling back to a replay, and a long stream loading only its
 * tail.
 *
 * <p>A backend implements three hooks: a fresh event store, the snapshot store that lives beside
 * it, and a way to damage a stored snapshot the way a corrupted row would be (raw SQL).
 */
public abstract class SnapshotRepositoryContract {

    /** A new, empty event store using {@code registry}; the suite initializes and closes it. */
    protected abstract EventStore newEventStore(EventRegistry registry);

    /** The snapshot store that lives beside {@code store}. */
    protected abstract SnapshotStore snapshotStoreFor(EventStore store);

    /** Overwrites the stored state of the stream's snapshot with text that is not valid JSON. */
    protected abstract void corruptSnapshot(EventStore store, UUID aggregateId, String aggregateType) throws Exception;

    private EventStore store;

    @BeforeEach
    final void openStore() {
        store = newEventStore(TckAccount.registry());
        store.initialize();
    }

    @AfterEach
    final void closeStore() {
        store.close();
    }

    private AggregateRepository<TckAccount> repository(SnapshotStore snapshots, int every) {
        return AggregateRepository.builder(store, TckAccount::new, TckAccount.TYPE)
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
    void a_save_from_98_to_102_with_a_snapshot_every_100_events_snapshots_at_102() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        var repo = repository(snapshots, 100);
        UUID id = UUID.randomUUID();
        TckAccount account = repo.createNew(id);
        for (int i = 0; i < 98; i++) {
            account.deposit(1);
        }
        repo.save(account);
        assertThat(snapshots.find(id, TckAccount.TYPE)).isEmpty();

        for (int i = 0; i < 4; i++) {
            account.deposit(1);
        }
        repo.save(account);

        assertThat(snapshots.find(id, TckAccount.TYPE)).get().extracting(Snapshot::version).isEqualTo(102L);
        assertThat(repo.snapshotStats().taken()).isEqualTo(1);
    }

    /**
     * Snapshots cannot cross tenants (ADR 0005): with the backend's snapshot store shared by two
     * tenants' repositories on views, one tenant's snapshot (taken at the stream's head, so a load
     * reads no event after it) is refused to the other tenant, whose save is refused too and
     * writes neither an event nor a snapshot.
     */
    @Test
    void another_tenants_repository_is_refused_an_aggregate_even_from_its_snapshot_and_writes_no_snapshot() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        var acme = AggregateRepository.builder(TenantScopedEventStore.of(store, TenantId.of("acme")), TckAccount::new,
                TckAccount.TYPE).snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(1)).build();
        var globex = AggregateRepository.builder(TenantScopedEventStore.of(store, TenantId.of("globex")), TckAccount::new,
                TckAccount.TYPE).snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(1)).build();
        UUID id = UUID.randomUUID();
        TckAccount account = acme.createNew(id);
        account.deposit(5);
        account.deposit(7);
        acme.save(account);
        Snapshot taken = snapshots.find(id, TckAccount.TYPE).orElseThrow(() -> new AssertionError("no snapshot taken"));
        assertThat(taken.version()).isEqualTo(2);

        assertThat(acme.load(id).state().balance()).isEqualTo(12);
        assertThatThrownBy(() -> globex.load(id)).isInstanceOf(CrossTenantAccessException.class)
                .hasMessageContaining("'globex'").hasMessageContaining("'acme'");
        TckAccount forged = new TckAccount(id);
        forged.deposit(1_000_000);
        forged.deposit(1);
        forged.deposit(1);
        assertThatThrownBy(() -> globex.save(forged)).isInstanceOf(CrossTenantAccessException.class);

        assertThat(store.getStreamVersion(id, TckAccount.TYPE)).isEqualTo(2);
        assertThat(snapshots.find(id, TckAccount.TYPE)).get().extracting(Snapshot::version).isEqualTo(2L);
        assertThat(acme.load(id).state().balance()).isEqualTo(12);
    }

    @Test
    void loading_from_a_snapshot_equals_a_full_replay_for_random_histories() {
        var withSnapshots = repository(snapshotStoreFor(store), 7);
        var plain = new AggregateRepository<>(store, TckAccount::new, TckAccount.TYPE);
        Random random = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            UUID id = UUID.randomUUID();
            for (int s = 1 + random.nextInt(6); s > 0; s--) {
                TckAccount account = withSnapshots.loadOrCreate(id);
                for (int e = 1 + random.nextInt(12); e > 0; e--) {
                    if (random.nextInt(4) == 0) {
                        account.rename("n" + random.nextInt(100));
                    } else {
                        account.deposit(random.nextInt(1000) - 300);
                    }
                }
                withSnapshots.save(account);
            }

            TckAccount replayed = plain.load(id);
            TckAccount restored = withSnapshots.load(id);

            assertThat(restored.state()).as("trial %d", trial).isEqualTo(replayed.state());
            assertThat(restored.version()).isEqualTo(replayed.version());
        }
        assertThat(withSnapshots.snapshotStats().loaded()).isPositive();
    }

    @Test
    void a_damaged_snapshot_is_ignored_and_the_aggregate_rebuilt_by_a_full_replay() throws Exception {
        UUID id = saveDeposits(repository(snapshotStoreFor(store), 10), 1, 25);
        corruptSnapshot(store, id, TckAccount.TYPE);
        var repo = repository(snapshotStoreFor(store), 10);

        TckAccount loaded = repo.load(id);

        assertThat(loaded.version()).isEqualTo(25);
        assertThat(loaded.state().balance()).isEqualTo(25);
        assertThat(repo.snapshotStats().ignored()).isEqualTo(1);
        assertThat(repo.snapshotStats().loaded()).isZero();
    }

    @Test
    void a_snapshot_holding_json_null_is_ignored_and_the_aggregate_rebuilt_by_a_full_replay() {
        assertDamagedStateIsIgnored("null");
    }

    @Test
    void a_snapshot_holding_an_empty_object_is_ignored_and_the_aggregate_rebuilt_by_a_full_replay() {
        assertDamagedStateIsIgnored("{}");
    }

    @Test
    void a_snapshot_holding_an_object_of_other_fields_is_ignored_and_the_aggregate_rebuilt_by_a_full_replay() {
        assertDamagedStateIsIgnored("{\"owner\": \"x\", \"total\": 25}");
    }

    @Test
    void a_snapshot_missing_a_field_of_the_state_is_ignored_and_the_aggregate_rebuilt_by_a_full_replay() {
        assertDamagedStateIsIgnored("{\"name\": \"\", \"balance\": 25}");
    }

    @Test
    void a_snapshot_with_a_field_the_state_does_not_have_is_ignored_and_the_aggregate_rebuilt_by_a_full_replay() {
        assertDamagedStateIsIgnored("{\"name\": \"\", \"balance\": 25, \"checksum\": 0, \"owner\": \"x\"}");
    }

    @Test
    void a_snapshot_holding_null_for_a_number_of_the_state_is_ignored_and_the_aggregate_rebuilt_by_a_full_replay() {
        assertDamagedStateIsIgnored("{\"name\": \"\", \"balance\": null, \"checksum\": 0}");
    }

    /**
     * Replaces a good snapshot by one holding {@code state} (valid JSON, so every backend, {@code jsonb}
     * included, stores it through its own snapshot store) and loads through the repository: the
     * snapshot must be ignored and counted, and the aggregate equal a full replay.
     */
    private void assertDamagedStateIsIgnored(String state) {
        SnapshotStore snapshots = snapshotStoreFor(store);
        UUID id = saveDeposits(repository(snapshots, 10), 1, 25);
        Snapshot good = snapshots.find(id, TckAccount.TYPE).orElseThrow();
        snapshots.save(new Snapshot(id, TckAccount.TYPE, good.version(), good.schemaVersion(), state, good.takenAt()));
        assertThat(snapshots.find(id, TckAccount.TYPE)).get().extracting(Snapshot::stateJson).asString()
                .isNotEqualTo(good.stateJson());
        var repo = repository(snapshots, 10);

        TckAccount loaded = repo.load(id);

        TckAccount replayed = new AggregateRepository<>(store, TckAccount::new, TckAccount.TYPE).load(id);
        assertThat(loaded.state()).isEqualTo(replayed.state());
        assertThat(loaded.version()).isEqualTo(25);
        assertThat(repo.snapshotStats().loaded()).as("loads from the snapshot holding %s", state).isZero();
        assertThat(repo.snapshotStats().ignored()).as("snapshots ignored").isEqualTo(1);
    }

    @Test
    void a_10k_event_aggregate_loads_with_one_snapshot_read_and_only_the_events_after_it() {
        UUID id = saveDeposits(repository(snapshotStoreFor(store), 100), 100, 100);
        store.appendEvents(id, TckAccount.TYPE, List.of(new TckAccount.Deposited(5)), ExpectedVersion.exactly(10_000));
        var events = new CountingEvents(store);
        var snapshots = new CountingSnapshots(snapshotStoreFor(store));
        var reader = AggregateRepository.builder(events, TckAccount::new, TckAccount.TYPE).snapshots(snapshots)
                .snapshotPolicy(SnapshotPolicy.never()).build();

        TckAccount loaded = reader.load(id);

        assertThat(loaded.version()).isEqualTo(10_001);
        assertThat(loaded.state().balance()).isEqualTo(10_005);
        assertThat(snapshots.finds).hasValue(1);
        assertThat(events.eventsRead).hasValue(1);
    }

    /** Counts the events a repository reads, to show that a load reads only the tail after the snapshot. */
    private record CountingEvents(EventStore delegate, AtomicInteger eventsRead) implements EventStore {
        CountingEvents(EventStore delegate) {
            this(delegate, new AtomicInteger());
        }

        @Override
        public AppendResult append(UUID id, String type, List<NewEvent> events, ExpectedVersion expected) {
            return delegate.append(id, type, events, expected);
        }

        @Override
        public EventStream getEvents(UUID id, String type, long afterVersion) {
            EventStream stream = delegate.getEvents(id, type, afterVersion);
            eventsRead.addAndGet(stream.events().size());
            return stream;
        }

        @Override
        public Stream<StoredEvent> readAll(ReadOptions options) {
            return delegate.readAll(options);
        }

        @Override
        public long getStreamVersion(UUID id, String type) {
            return delegate.getStreamVersion(id, type);
        }

        @Override
        public boolean eventExists(UUID eventId) {
            return delegate.eventExists(eventId);
        }

        @Override
        public long globalPosition() {
            return delegate.globalPosition();
        }

        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public void close() {
            // The suite closes the real store.
        }
    }

    /** Counts snapshot reads. */
    private record CountingSnapshots(SnapshotStore delegate, AtomicInteger finds) implements SnapshotStore {
        CountingSnapshots(SnapshotStore delegate) {
            this(delegate, new AtomicInteger());
        }

        @Override
        public void save(Snapshot snapshot) {
            delegate.save(snapshot);
        }

        @Override
        public Optional<Snapshot> find(UUID id, String type) {
            finds.incrementAndGet();
            return delegate.find(id, type);
        }

        @Override
        public boolean delete(UUID id, String type) {
            return delegate.delete(id, type);
        }

        @Override
        public int deleteAll(String type) {
            return delegate.deleteAll(type);
        }

        @Override
        public int deleteBelowSchemaVersion(String type, int schemaVersion) {
            return delegate.deleteBelowSchemaVersion(type, schemaVersion);
        }
    }
}
