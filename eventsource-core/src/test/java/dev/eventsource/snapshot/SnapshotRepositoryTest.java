package dev.eventsource.snapshot;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotRepositoryTest {

    record Deposited(long amount) implements DomainEvent {}

    record Withdrawn(long amount) implements DomainEvent {}

    record Renamed(String name) implements DomainEvent {}

    record Account(String name, long balance, int operations, List<String> history) {}

    static class AccountAggregate extends AggregateRoot<Account> {
        AccountAggregate(UUID id) { super(id); }

        @Override protected Account initialState() { return new Account("", 0, 0, List.of()); }

        @Override protected Account apply(Account s, DomainEvent e) {
            List<String> history = new ArrayList<>(s.history());
            if (history.size() == 5) history.remove(0);
            history.add(e.getClass().getSimpleName());
            if (e instanceof Deposited d) return new Account(s.name(), s.balance() + d.amount(), s.operations() + 1, history);
            if (e instanceof Withdrawn w) return new Account(s.name(), s.balance() - w.amount(), s.operations() + 1, history);
            if (e instanceof Renamed r) return new Account(r.name(), s.balance(), s.operations() + 1, history);
            return s;
        }

        void deposit(long amount) { applyEvent(new Deposited(amount)); }

        void withdraw(long amount) { applyEvent(new Withdrawn(amount)); }

        void rename(String name) { applyEvent(new Renamed(name)); }
    }

    static final class AccountV2 extends AccountAggregate {
        AccountV2(UUID id) { super(id); }

        @Override protected int snapshotSchemaVersion() { return 2; }
    }

    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry());
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();

    @AfterEach
    void close() {
        store.close();
    }

    private AggregateRepository<AccountAggregate> repo(int every) {
        return AggregateRepository.builder(store, AccountAggregate::new, "Account")
                .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(every)).build();
    }

    @Test
    void a_save_that_crosses_a_multiple_takes_a_snapshot_at_its_new_version() {
        var repo = repo(100);
        UUID id = UUID.randomUUID();
        AccountAggregate account = repo.createNew(id);
        for (int i = 0; i < 98; i++) account.deposit(1);
        repo.save(account);
        assertThat(snapshots.find(id, "Account")).isEmpty();

        for (int i = 0; i < 4; i++) account.deposit(1);
        repo.save(account);

        assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(102L);
        assertThat(repo.snapshotStats().taken()).isEqualTo(1);
    }

    @Test
    void the_policy_counts_crossings_not_landings() {
        SnapshotPolicy policy = SnapshotPolicy.everyEvents(100);

        assertThat(policy.shouldSnapshot(98, 102)).isTrue();
        assertThat(policy.shouldSnapshot(99, 100)).isTrue();
        assertThat(policy.shouldSnapshot(100, 199)).isFalse();
        assertThat(policy.shouldSnapshot(0, 99)).isFalse();
        assertThat(policy.shouldSnapshot(150, 350)).isTrue();
        assertThat(SnapshotPolicy.never().shouldSnapshot(0, 1000)).isFalse();
    }

    @Test
    void loading_from_a_snapshot_equals_a_full_replay_for_random_histories() {
        Random random = new Random(20261126);
        var withSnapshots = repo(7);
        var plain = new AggregateRepository<>(store, AccountAggregate::new, "Account");
        for (int trial = 0; trial < 200; trial++) {
            UUID id = UUID.randomUUID();
            AccountAggregate account = withSnapshots.createNew(id);
            int saves = 1 + random.nextInt(8);
            for (int s = 0; s < saves; s++) {
                int events = 1 + random.nextInt(12);
                for (int e = 0; e < events; e++) {
                    switch (random.nextInt(3)) {
                        case 0 -> account.deposit(random.nextInt(1000));
                        case 1 -> account.withdraw(random.nextInt(500));
                        default -> account.rename("n" + random.nextInt(100));
                    }
                }
                withSnapshots.save(account);
                account = withSnapshots.load(id);
            }

            AccountAggregate replayed = plain.load(id);
            AccountAggregate restored = withSnapshots.load(id);
            assertThat(restored.state()).as("trial %d", trial).isEqualTo(replayed.state());
            assertThat(restored.version()).isEqualTo(replayed.version());
        }
        assertThat(withSnapshots.snapshotStats().loaded()).isPositive();
    }

    @Test
    void a_snapshot_of_another_schema_version_is_ignored_and_the_aggregate_replayed() {
        UUID id = savedAccount(repo(10), 25);
        var bumped = AggregateRepository.builder(store, AccountV2::new, "Account").snapshots(snapshots).build();

        AccountV2 loaded = bumped.load(id);

        assertThat(loaded.version()).isEqualTo(25);
        assertThat(loaded.state().balance()).isEqualTo(25);
        assertThat(bumped.snapshotStats().ignored()).isEqualTo(1);
        assertThat(bumped.snapshotStats().loaded()).isZero();
    }

    @Test
    void a_corrupt_snapshot_falls_back_to_a_full_replay() {
        UUID id = savedAccount(repo(10), 25);
        Snapshot good = snapshots.find(id, "Account").orElseThrow();
        snapshots.delete(id, "Account");
        snapshots.save(new Snapshot(id, "Account", good.version(), 1, "{\"balance\": \"not a number\"", Instant.now()));
        var repo = repo(10);

        AccountAggregate loaded = repo.load(id);

        assertThat(loaded.state().balance()).isEqualTo(25);
        assertThat(repo.snapshotStats().ignored()).isEqualTo(1);
    }

    @Test
    void a_snapshot_store_that_is_down_never_fails_a_load_or_a_save() {
        SnapshotStore down = new SnapshotStore() {
            public void save(Snapshot snapshot) { throw new IllegalStateException("snapshot store down"); }
            public Optional<Snapshot> find(UUID id, String type) { throw new IllegalStateException("snapshot store down"); }
            public boolean delete(UUID id, String type) { throw new IllegalStateException("down"); }
            public int deleteAll(String type) { throw new IllegalStateException("down"); }
            public int deleteBelowSchemaVersion(String type, int v) { throw new IllegalStateException("down"); }
        };
        var repo = AggregateRepository.builder(store, AccountAggregate::new, "Account")
                .snapshots(down).snapshotPolicy(SnapshotPolicy.everyEvents(2)).build();
        UUID id = UUID.randomUUID();
        AccountAggregate account = repo.createNew(id);
        account.deposit(5);
        account.deposit(6);

        assertThat(repo.save(account)).isPresent();
        assertThat(repo.load(id).state().balance()).isEqualTo(11);
        assertThat(repo.snapshotStats().failed()).isEqualTo(1);
        assertThat(repo.snapshotStats().ignored()).isEqualTo(1);
    }

    @Test
    void background_snapshots_complete_and_can_be_awaited() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try {
            executor.submit(() -> { release.await(); return null; });
            var repo = AggregateRepository.builder(store, AccountAggregate::new, "Account")
                    .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(3)).snapshotExecutor(executor).build();
            UUID id = savedAccount(repo, 3);
            assertThat(snapshots.find(id, "Account")).as("the executor is still blocked").isEmpty();
            assertThat(repo.awaitSnapshots(Duration.ofMillis(50))).isFalse();

            release.countDown();

            assertThat(repo.awaitSnapshots(Duration.ofSeconds(10))).isTrue();
            assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(3L);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void a_long_aggregate_loads_with_one_snapshot_read_and_only_the_tail_of_its_stream() {
        var counting = new CountingStore(store);
        var countingSnapshots = new CountingSnapshots(snapshots);
        var writer = AggregateRepository.builder(store, AccountAggregate::new, "Account")
                .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(100)).build();
        UUID id = UUID.randomUUID();
        AccountAggregate account = writer.createNew(id);
        for (int batch = 0; batch < 100; batch++) {
            for (int i = 0; i < 100; i++) account.deposit(1);
            writer.save(account);
        }
        account.deposit(1);
        writer.save(account);
        var reader = AggregateRepository.builder(counting, AccountAggregate::new, "Account").snapshots(countingSnapshots).build();

        AccountAggregate loaded = reader.load(id);

        assertThat(loaded.version()).isEqualTo(10_001);
        assertThat(loaded.state().balance()).isEqualTo(10_001);
        assertThat(countingSnapshots.finds.get()).isEqualTo(1);
        assertThat(counting.eventsRead.get()).isEqualTo(1);
    }

    @Test
    void manual_snapshots_need_a_snapshot_store_and_a_saved_aggregate() {
        var repo = AggregateRepository.builder(store, AccountAggregate::new, "Account").snapshots(snapshots).build();
        UUID id = savedAccount(repo, 4);
        assertThat(snapshots.find(id, "Account")).isEmpty();

        repo.createSnapshot(repo.load(id));

        assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(4L);
    }

    @Test
    void the_store_keeps_the_newer_snapshot_when_an_older_one_arrives_late() {
        UUID id = UUID.randomUUID();
        snapshots.save(new Snapshot(id, "Account", 200, 1, "{}", Instant.now()));
        snapshots.save(new Snapshot(id, "Account", 102, 1, "{}", Instant.now()));

        assertThat(snapshots.find(id, "Account")).get().extracting(Snapshot::version).isEqualTo(200L);
    }

    private UUID savedAccount(AggregateRepository<? extends AccountAggregate> repo, int deposits) {
        UUID id = UUID.randomUUID();
        AccountAggregate account = repo.createNew(id);
        for (int i = 0; i < deposits; i++) account.deposit(1);
        saveRaw(repo, account);
        return id;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void saveRaw(AggregateRepository repo, AccountAggregate account) {
        repo.save(account);
    }

    /** Counts the events the repository reads, to show that only the tail is loaded. */
    private record CountingStore(EventStore delegate, AtomicInteger eventsRead) implements EventStore {
        CountingStore(EventStore delegate) { this(delegate, new AtomicInteger()); }
        public AppendResult append(UUID id, String type, List<NewEvent> events, ExpectedVersion expected) {
            return delegate.append(id, type, events, expected);
        }
        public EventStream getEvents(UUID id, String type, long afterVersion) {
            EventStream s = delegate.getEvents(id, type, afterVersion);
            eventsRead.addAndGet(s.events().size());
            return s;
        }
        public Stream<StoredEvent> readAll(ReadOptions options) { return delegate.readAll(options); }
        public long getStreamVersion(UUID id, String type) { return delegate.getStreamVersion(id, type); }
        public boolean eventExists(UUID eventId) { return delegate.eventExists(eventId); }
        public long globalPosition() { return delegate.globalPosition(); }
        public void initialize() { delegate.initialize(); }
        public void close() { }
    }

    private record CountingSnapshots(SnapshotStore delegate, AtomicInteger finds) implements SnapshotStore {
        CountingSnapshots(SnapshotStore delegate) { this(delegate, new AtomicInteger()); }
        public void save(Snapshot s) { delegate.save(s); }
        public Optional<Snapshot> find(UUID id, String type) { finds.incrementAndGet(); return delegate.find(id, type); }
        public boolean delete(UUID id, String type) { return delegate.delete(id, type); }
        public int deleteAll(String type) { return delegate.deleteAll(type); }
        public int deleteBelowSchemaVersion(String type, int v) { return delegate.deleteBelowSchemaVersion(type, v); }
    }
}
