package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.migration.MigrationReport;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.SubscriptionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend's parts, taken by role, serve a decorated store as well as the store itself: with a
 * trivial decorating {@link EventStore} (it counts appends) wired where events are appended and
 * read, and the backend's parts everywhere else, a repository still loads from snapshots, a live
 * subscription is still woken by an append in this process (its poll interval is an hour, so only
 * the wake-up can deliver in time), and the events still migrate to another backend.
 *
 * <p>A backend implements {@link #newBackend(EventRegistry)}: a new backend on an empty store
 * that uses the given registry, not yet initialized; the suite initializes and closes it. Each
 * call must return an independent backend.
 */
public abstract class BackendContract {

    /** A new backend on an empty store using {@code registry}; not yet initialized. */
    protected abstract EventStoreBackend newBackend(EventRegistry registry);

    /** How long a test waits for something to happen before it fails; generous, as machines vary. */
    protected Duration timeout() {
        return Duration.ofMinutes(1);
    }

    private final List<EventStoreBackend> backends = new ArrayList<>();
    private final List<SubscriptionManager> managers = new ArrayList<>();
    private EventStoreBackend backend;
    private CountingEventStore decorated;

    @BeforeEach
    final void openBackend() {
        backend = open();
        decorated = new CountingEventStore(backend.store());
    }

    @AfterEach
    final void closeEverything() throws InterruptedException {
        for (SubscriptionManager m : managers) {
            m.shutdown(Duration.ofSeconds(10));
        }
        backends.forEach(EventStoreBackend::close);
    }

    @Test
    void a_repository_over_a_decorated_store_loads_from_the_backends_snapshots() {
        AggregateRepository<TckAccount> accounts = AggregateRepository.builder(decorated, decorated, backend.mapper(),
                        TckAccount::new, TckAccount.TYPE)
                .snapshots(backend.snapshots()).snapshotPolicy(SnapshotPolicy.everyEvents(2)).build();
        TckAccount account = accounts.createNew(UUID.randomUUID());
        account.deposit(3);
        account.deposit(5);
        accounts.save(account);
        account.deposit(7);
        accounts.save(account);

        TckAccount loaded = accounts.load(account.aggregateId());

        assertThat(loaded.state()).isEqualTo(account.state());
        assertThat(loaded.version()).isEqualTo(3);
        assertThat(accounts.snapshotStats().loaded()).isEqualTo(1);
        assertThat(accounts.exists(account.aggregateId())).isTrue();
        assertThat(decorated.appends()).isEqualTo(2);
    }

    @Test
    void a_live_subscription_is_woken_by_an_append_through_a_decorated_store() throws InterruptedException {
        List<StoredEvent> seen = new CopyOnWriteArrayList<>();
        SubscriptionManager manager = SubscriptionManager.builder(backend.log(), backend.newAppendNotifier())
                .checkpoints(backend.checkpoints()).deadLetters(backend.deadLetters())
                .pollInterval(Duration.ofHours(1)).build();
        managers.add(manager);
        Subscription subscription = manager.subscribe("woken", seen::add,
                SubscriptionOptions.builder().startFrom(StartFrom.BEGINNING).build());
        await("the subscription to go live", () -> subscription.state() == SubscriptionState.LIVE);

        decorated.appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("woken")), ExpectedVersion.NO_STREAM);

        await("the append to be delivered without waiting for the hourly poll", () -> seen.size() == 1);
        assertThat(seen.get(0).event()).isEqualTo(new TckEvent.Created("woken"));
        assertThat(decorated.appends()).isEqualTo(1);
    }

    @Test
    void events_appended_through_a_decorated_store_migrate_to_another_backend() {
        UUID id = UUID.randomUUID();
        decorated.appendEvents(id, "Item", List.of(new TckEvent.Created("a"), new TckEvent.Renamed("b", 2)),
                ExpectedVersion.NO_STREAM);
        decorated.appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("c")), ExpectedVersion.NO_STREAM);
        EventStoreBackend target = open();

        MigrationReport report = EventStoreBackend.copy(backend, target, 2, progress -> { });

        assertThat(report.events()).isEqualTo(3);
        assertThat(report.copied()).isEqualTo(3);
        assertThat(report.streams()).isEqualTo(2);
        assertThat(target.store().getEvents(id, "Item").events()).extracting(StoredEvent::event)
                .containsExactly(new TckEvent.Created("a"), new TckEvent.Renamed("b", 2));
        assertThat(decorated.appends()).isEqualTo(2);
    }

    @Test
    void the_backends_parts_share_one_store_and_one_mapper() {
        decorated.appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("x")), ExpectedVersion.NO_STREAM);

        assertThat(backend.log().globalPosition()).isEqualTo(backend.store().globalPosition()).isEqualTo(1);
        assertThat(backend.mapper()).isSameAs(backend.log().mapper());
        try (Stream<?> rows = backend.log().readRecorded(ReadOptions.ALL)) {
            assertThat(rows.count()).isEqualTo(1);
        }
    }

    private EventStoreBackend open() {
        // TckAccount.Renamed would share its type name with TckEvent.Renamed, so only deposits are registered.
        EventRegistry registry = new EventRegistry().register(TckAccount.Deposited.class).register(TckEvent.class);
        EventStoreBackend opened = newBackend(registry);
        backends.add(opened);
        opened.store().initialize();
        return opened;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout() + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** The trivial decorator: delegates everything and counts appends; offers no recorded log of its own. */
    private static final class CountingEventStore implements EventStore {
        private final EventStore delegate;
        private final AtomicInteger appends = new AtomicInteger();

        CountingEventStore(EventStore delegate) {
            this.delegate = delegate;
        }

        int appends() {
            return appends.get();
        }

        @Override
        public AppendResult append(UUID aggregateId, String aggregateType, List<NewEvent> events, ExpectedVersion expected) {
            appends.incrementAndGet();
            return delegate.append(aggregateId, aggregateType, events, expected);
        }

        @Override
        public EventStream getEvents(UUID aggregateId, String aggregateType, long afterVersion) {
            return delegate.getEvents(aggregateId, aggregateType, afterVersion);
        }

        @Override
        public Stream<StoredEvent> readAll(ReadOptions options) {
            return delegate.readAll(options);
        }

        @Override
        public long getStreamVersion(UUID aggregateId, String aggregateType) {
            return delegate.getStreamVersion(aggregateId, aggregateType);
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
            delegate.close();
        }
    }
}
