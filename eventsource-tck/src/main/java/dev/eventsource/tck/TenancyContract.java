package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.snapshot.InMemorySnapshotStore;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamHead;
import dev.eventsource.store.StreamId;
import dev.eventsource.store.TenantGuardedAppender;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.tenant.CrossTenantAccessException;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tenant-scoped views ({@link TenantScopedEventStore}) over the store under test: each tenant
 * writes, reads and versions its own streams only, whatever the interleaving, and every refusal
 * leaves the store as it was.
 */
public abstract class TenancyContract extends EventStoreFixture {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    /**
     * {@code tenant}'s view of the store under test; by default {@code TenantScopedEventStore.of(store, tenant)}.
     * A backend with a tenant-bound mode overrides it to return its view over a store bound to
     * {@code tenant} (e.g. PostgreSQL's row-level-security mode); {@link #store} stays the unscoped
     * store, which sees every tenant.
     */
    protected EventStore scoped(TenantId tenant) {
        return TenantScopedEventStore.of(store, tenant);
    }

    private static AppendRecorder appendTo(EventStore view, UUID id, String title, ExpectedVersion expected) {
        return new AppendRecorder(view.appendEvents(id, TYPE, List.of(new TckEvent.Created(title)), expected).newVersion());
    }

    private record AppendRecorder(long version) {
    }

    @Test
    void a_view_stamps_its_tenant_on_every_event_it_appends() {
        UUID id = UUID.randomUUID();
        scoped(ACME).appendEvents(id, TYPE, List.of(new TckEvent.Created("a"), new TckEvent.Renamed("b", 2)),
                ExpectedVersion.NO_STREAM);

        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::tenantId).containsExactly("acme", "acme");
    }

    @Test
    void a_view_keeps_an_event_already_stamped_with_its_tenant_and_refuses_one_of_another_tenant() {
        UUID id = UUID.randomUUID();
        EventStore acme = scoped(ACME);
        acme.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Created("a"), EventMetadata.EMPTY.withTenantId("acme"))),
                ExpectedVersion.NO_STREAM);

        assertThatThrownBy(() -> acme.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Renamed("b", 2)),
                        NewEvent.of(new TckEvent.Renamed("c", 3), EventMetadata.EMPTY.withTenantId("globex"))),
                ExpectedVersion.ANY))
                .isInstanceOf(CrossTenantAccessException.class)
                .hasMessageContaining("'acme'").hasMessageContaining("'globex'");
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(1);
    }

    @Test
    void a_view_refuses_every_kind_of_append_to_another_tenants_stream_and_writes_nothing() {
        UUID id = UUID.randomUUID();
        appendTo(scoped(ACME), id, "acme's", ExpectedVersion.NO_STREAM);
        long position = store.globalPosition();
        EventStore globex = scoped(GLOBEX);

        for (ExpectedVersion expected : List.of(ExpectedVersion.ANY, ExpectedVersion.STREAM_EXISTS, ExpectedVersion.exactly(1))) {
            assertThatThrownBy(() -> appendTo(globex, id, "globex's", expected)).as(expected.toString())
                    .isInstanceOf(CrossTenantAccessException.class)
                    .hasMessageContaining("'globex'").hasMessageContaining("'acme'")
                    .satisfies(e -> assertThat(((CrossTenantAccessException) e).owner()).isEqualTo("acme"));
        }
        assertThatThrownBy(() -> appendTo(globex, id, "globex's", ExpectedVersion.NO_STREAM))
                .isInstanceOf(CrossTenantAccessException.class);
        assertThat(store.globalPosition()).isEqualTo(position);
        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::tenantId).containsExactly("acme");
    }

    @Test
    void a_view_refuses_to_read_or_version_another_tenants_stream_even_past_its_end() {
        UUID id = UUID.randomUUID();
        EventStore acme = scoped(ACME);
        acme.appendEvents(id, TYPE, List.of(new TckEvent.Created("a"), new TckEvent.Renamed("b", 2)), ExpectedVersion.NO_STREAM);
        EventStore globex = scoped(GLOBEX);

        assertThatThrownBy(() -> globex.getEvents(id, TYPE)).isInstanceOf(CrossTenantAccessException.class)
                .hasMessageContaining("read stream");
        assertThatThrownBy(() -> globex.getEvents(id, TYPE, 2)).isInstanceOf(CrossTenantAccessException.class);
        assertThatThrownBy(() -> globex.getEvents(id, TYPE, 99)).isInstanceOf(CrossTenantAccessException.class);
        assertThatThrownBy(() -> globex.getStreamVersion(id, TYPE)).isInstanceOf(CrossTenantAccessException.class);

        assertThat(acme.getEvents(id, TYPE).events()).hasSize(2);
        assertThat(acme.getEvents(id, TYPE, 2).events()).isEmpty();
        assertThat(acme.getStreamVersion(id, TYPE)).isEqualTo(2);
        assertThat(globex.getEvents(UUID.randomUUID(), TYPE).events()).isEmpty();
        assertThat(globex.getStreamVersion(UUID.randomUUID(), TYPE)).isZero();
    }

    @Test
    void a_view_refuses_a_stream_stored_without_a_tenant() {
        UUID id = streamWith(2);
        EventStore acme = scoped(ACME);

        assertThatThrownBy(() -> acme.getEvents(id, TYPE)).isInstanceOf(CrossTenantAccessException.class)
                .hasMessageContaining("without a tenant")
                .satisfies(e -> assertThat(((CrossTenantAccessException) e).owner()).isNull());
        assertThatThrownBy(() -> appendTo(acme, id, "mine now?", ExpectedVersion.ANY)).isInstanceOf(CrossTenantAccessException.class);
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
    }

    @Test
    void a_view_reads_the_global_log_of_its_tenant_only() {
        appendTo(scoped(ACME), UUID.randomUUID(), "a1", ExpectedVersion.NO_STREAM);
        appendTo(scoped(GLOBEX), UUID.randomUUID(), "g1", ExpectedVersion.NO_STREAM);
        streamWith(1);
        appendTo(scoped(ACME), UUID.randomUUID(), "a2", ExpectedVersion.NO_STREAM);
        EventStore acme = scoped(ACME);

        try (Stream<StoredEvent> events = acme.readAll()) {
            assertThat(events.map(e -> ((TckEvent.Created) e.event()).name())).containsExactly("a1", "a2");
        }
        try (Stream<StoredEvent> events = acme.readAll(ReadOptions.builder().tenantId("acme").build())) {
            assertThat(events).hasSize(2);
        }
        assertThatThrownBy(() -> acme.readAll(ReadOptions.builder().tenantId("globex").build()))
                .isInstanceOf(CrossTenantAccessException.class);
    }

    @Test
    void a_views_stored_row_log_reads_pages_lists_and_counts_its_tenants_rows_only_and_refuses_the_others() {
        UUID a1 = UUID.randomUUID();
        appendTo(scoped(ACME), a1, "a1", ExpectedVersion.NO_STREAM);
        UUID g1 = UUID.randomUUID();
        appendTo(scoped(GLOBEX), g1, "g1", ExpectedVersion.NO_STREAM);
        UUID untagged = streamWith(2);
        UUID a2 = UUID.randomUUID();
        appendTo(scoped(ACME), a2, "a2", ExpectedVersion.NO_STREAM);
        RecordedLog acme = scoped(ACME).recordedLog()
                .orElseThrow(() -> new AssertionError("a view of " + store + " hands out no stored-row log"));

        try (Stream<RecordedEvent> rows = acme.readRecorded(ReadOptions.ALL)) {
            assertThat(rows.map(RecordedEvent::aggregateId)).containsExactly(a1, a2);
        }
        RecordedPage first = acme.readRecordedPage(ReadOptions.builder().pageSize(1).build());
        assertThat(first.rows()).extracting(RecordedEvent::aggregateId).containsExactly(a1);
        RecordedPage rest = acme.readRecordedPage(ReadOptions.builder().fromPosition(first.position()).build());
        assertThat(rest.rows()).extracting(RecordedEvent::aggregateId).containsExactly(a2);
        assertThat(rest.atEnd()).isTrue();
        assertThat(acme.statistics(ReadOptions.ALL).events()).isEqualTo(2);
        assertThat(acme.listStreams(ReadOptions.ALL, 0, 10).streams()).extracting(s -> s.stream().aggregateId())
                .containsExactly(a1, a2);
        assertThat(acme.readRecordedStream(new StreamId(TYPE, a1), 0).events()).extracting(RecordedEvent::tenantId)
                .containsExactly("acme");
        assertThat(acme.getStreamVersion(a2, TYPE)).isEqualTo(1);

        ReadOptions globex = ReadOptions.builder().tenantId("globex").build();
        List<Runnable> refused = List.of(
                () -> acme.readRecorded(globex).toList(),
                () -> acme.readRecordedPage(globex),
                () -> acme.statistics(globex),
                () -> acme.listStreams(globex, 0, 10),
                () -> acme.readRecordedStream(new StreamId(TYPE, g1), 0),
                () -> acme.readRecordedStream(new StreamId(TYPE, g1), 99),
                () -> acme.readRecordedStream(new StreamId(TYPE, untagged), 0),
                () -> acme.getStreamVersion(g1, TYPE));
        for (int i = 0; i < refused.size(); i++) {
            assertThatThrownBy(refused.get(i)::run).as("refusal %d", i).isInstanceOf(CrossTenantAccessException.class);
        }
    }

    @Test
    void a_subscription_on_a_view_wakes_on_the_views_appends_without_waiting_for_its_poll() throws Exception {
        EventStore acme = scoped(ACME);
        appendTo(acme, UUID.randomUUID(), "before", ExpectedVersion.NO_STREAM);
        appendTo(scoped(GLOBEX), UUID.randomUUID(), "globex's", ExpectedVersion.NO_STREAM);
        List<StoredEvent> seen = Collections.synchronizedList(new ArrayList<>());
        // A poll interval longer than the test: only a wake-up after the append can deliver it in time.
        try (SubscriptionManager manager = SubscriptionManager.builder(acme).pollInterval(Duration.ofHours(1)).build()) {
            Subscription s = manager.subscribe("woken", seen::add);
            assertThat(s.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();
            assertThat(seen).extracting(StoredEvent::tenantId).containsExactly("acme");

            appendTo(acme, UUID.randomUUID(), "after", ExpectedVersion.NO_STREAM);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(seen).extracting(e -> ((TckEvent.Created) e.event()).name()).containsExactly("before", "after");
    }

    @Test
    void a_repository_on_a_view_loads_and_saves_its_tenants_aggregates_and_refuses_the_others_also_from_a_snapshot() {
        InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
        AggregateRepository<TckAccount> acmeAccounts = AggregateRepository.builder(scoped(ACME), TckAccount::new, TckAccount.TYPE)
                .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(1)).build();
        AggregateRepository<TckAccount> globexAccounts = AggregateRepository.builder(scoped(GLOBEX), TckAccount::new, TckAccount.TYPE)
                .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(1)).build();
        UUID id = UUID.randomUUID();
        TckAccount account = acmeAccounts.createNew(id);
        account.deposit(10);
        acmeAccounts.save(account);
        assertThat(snapshots.find(id, TckAccount.TYPE)).as("the snapshot is at the stream's head").isPresent();

        assertThat(acmeAccounts.load(id).state().balance()).isEqualTo(10);
        assertThatThrownBy(() -> globexAccounts.load(id)).isInstanceOf(CrossTenantAccessException.class);
        TckAccount forged = new TckAccount(id);
        forged.deposit(1_000_000);
        assertThatThrownBy(() -> globexAccounts.save(forged)).isInstanceOf(CrossTenantAccessException.class);
        assertThat(store.getStreamVersion(id, TckAccount.TYPE)).isEqualTo(1);
    }

    @Test
    void tenants_racing_to_create_one_stream_leave_it_to_exactly_one_of_them() throws Exception {
        int rounds = 50;
        List<TenantId> tenants = List.of(ACME, GLOBEX, TenantId.of("initech"), TenantId.of("umbrella"));
        ExecutorService pool = Executors.newFixedThreadPool(tenants.size());
        try {
            for (int round = 0; round < rounds; round++) {
                UUID id = UUID.randomUUID();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (TenantId tenant : tenants) {
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            appendTo(scoped(tenant), id, tenant.value(), ExpectedVersion.ANY);
                            return true;
                        } catch (CrossTenantAccessException refused) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                long winners = 0;
                for (Future<Boolean> outcome : outcomes) {
                    winners += outcome.get(1, TimeUnit.MINUTES) ? 1 : 0;
                }
                List<StoredEvent> stream = store.getEvents(id, TYPE).events();
                assertThat(stream.stream().map(StoredEvent::tenantId).distinct()).as("round %d", round).hasSize(1);
                assertThat(stream).hasSize((int) winners);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static NewEvent stampedEvent(String tenant, String title) {
        return NewEvent.of(new TckEvent.Created(title), EventMetadata.EMPTY.withTenantId(tenant));
    }

    /**
     * The store's own owner check ({@link EventStore#tenantGuardedAppender()}), which a view uses
     * so that a scoped append is one call to the store: every expectation on another tenant's
     * stream, or on a stream without a tenant, is refused with the head the store read, and
     * nothing is written; the owner's and a new stream's appends go ahead.
     */
    @Test
    void the_store_checks_a_streams_owner_inside_the_append_and_writes_nothing_when_it_refuses() {
        TenantGuardedAppender guarded = store.tenantGuardedAppender()
                .orElseThrow(() -> new AssertionError(store + " offers no owner-checked appends"));
        UUID id = UUID.randomUUID();
        appendTo(scoped(ACME), id, "acme", ExpectedVersion.NO_STREAM);
        UUID untagged = streamWith(2);
        long position = store.globalPosition();
        List<StreamHead> refusedAt = new ArrayList<>();
        for (ExpectedVersion expected : List.of(ExpectedVersion.ANY, ExpectedVersion.STREAM_EXISTS, ExpectedVersion.exactly(1),
                ExpectedVersion.NO_STREAM, ExpectedVersion.exactly(7))) {
            assertThatThrownBy(() -> guarded.appendAsOwner("globex", new StreamId(TYPE, id), List.of(stampedEvent("globex", "globex")),
                    expected, head -> {
                        refusedAt.add(head);
                        return new IllegalStateException("refused at " + head);
                    })).as(expected.toString()).isInstanceOf(IllegalStateException.class).hasMessageContaining("refused at");
        }
        assertThatThrownBy(() -> guarded.appendAsOwner("acme", new StreamId(TYPE, untagged), List.of(stampedEvent("acme", "acme")),
                ExpectedVersion.ANY, head -> {
                    refusedAt.add(head);
                    return new IllegalStateException("refused at " + head);
                })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> guarded.appendAsOwner("acme", new StreamId(TYPE, id), List.of(stampedEvent("globex", "mixed")),
                ExpectedVersion.ANY, head -> new IllegalStateException("not expected")))
                .as("an event of another tenant").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("globex");
        assertThatThrownBy(() -> guarded.appendAsOwner("acme", new StreamId(TYPE, id),
                List.of(NewEvent.of(new TckEvent.Created("unstamped"))), ExpectedVersion.ANY, head -> new IllegalStateException("not expected")))
                .as("an event without a tenant").isInstanceOf(IllegalArgumentException.class);

        assertThat(refusedAt).containsExactly(new StreamHead(1, "acme"), new StreamHead(1, "acme"), new StreamHead(1, "acme"),
                new StreamHead(1, "acme"), new StreamHead(1, "acme"), new StreamHead(2, null));
        assertThat(store.globalPosition()).as("nothing written by a refusal").isEqualTo(position);

        assertThat(guarded.appendAsOwner("acme", new StreamId(TYPE, id), List.of(stampedEvent("acme", "acme")),
                ExpectedVersion.exactly(1), head -> new IllegalStateException("not expected")).newVersion()).isEqualTo(2);
        UUID fresh = UUID.randomUUID();
        assertThat(guarded.appendAsOwner("globex", new StreamId(TYPE, fresh), List.of(stampedEvent("globex", "globex")),
                ExpectedVersion.ANY, head -> new IllegalStateException("not expected")).newVersion()).isEqualTo(1);
        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::tenantId).containsExactly("acme", "acme");
        assertThat(store.getEvents(fresh, TYPE).events()).extracting(StoredEvent::tenantId).containsExactly("globex");
    }

    /**
     * A hammer on the owner check inside the append: for each round a fresh stream id, and eight
     * threads of four tenants each appending to it several times, all at once. Exactly one tenant
     * ends owning the stream with every one of its appends stored; every append of the others is
     * refused naming that owner; no stream holds two tenants' events.
     */
    @Test
    void tenants_hammering_one_new_stream_leave_it_to_exactly_one_owner_and_refuse_every_other_append() throws Exception {
        int rounds = 25;
        int appendsPerThread = 4;
        List<TenantId> tenants = List.of(ACME, GLOBEX, TenantId.of("initech"), TenantId.of("umbrella"));
        int threads = tenants.size() * 2;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                UUID id = UUID.randomUUID();
                CountDownLatch start = new CountDownLatch(1);
                Map<String, AtomicLong> stored = new ConcurrentHashMap<>();
                Set<String> wrongOwners = ConcurrentHashMap.newKeySet();
                Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    TenantId tenant = tenants.get(t % tenants.size());
                    done.add(pool.submit(() -> {
                        EventStore view = scoped(tenant);
                        start.await();
                        for (int i = 0; i < appendsPerThread; i++) {
                            try {
                                appendTo(view, id, tenant.value(), ExpectedVersion.ANY);
                                stored.computeIfAbsent(tenant.value(), k -> new AtomicLong()).incrementAndGet();
                            } catch (CrossTenantAccessException e) {
                                refused.computeIfAbsent(tenant.value(), k -> new AtomicLong()).incrementAndGet();
                                wrongOwners.add(String.valueOf(e.owner()));
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(2, TimeUnit.MINUTES);
                }

                assertThat(stored.keySet()).as("round %d: tenants whose appends were stored", round).hasSize(1);
                String owner = stored.keySet().iterator().next();
                List<StoredEvent> stream = store.getEvents(id, TYPE).events();
                assertThat(stream).as("round %d", round).hasSize(threads / tenants.size() * appendsPerThread);
                assertThat(stream).extracting(StoredEvent::tenantId).as("round %d", round).containsOnly(owner);
                assertThat(stream).extracting(e -> ((TckEvent.Created) e.event()).name()).containsOnly(owner);
                assertThat(refused.keySet()).as("round %d", round).doesNotContain(owner).hasSize(tenants.size() - 1);
                assertThat(refused.values().stream().mapToLong(AtomicLong::get).sum())
                        .isEqualTo((long) (threads - threads / tenants.size()) * appendsPerThread);
                assertThat(wrongOwners).as("round %d: owners named by refusals", round).containsExactly(owner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Random interleavings: threads act for random tenants on a small shared pool of stream ids, so
     * that they collide; every read a view returns holds its tenant's events only, every refusal
     * names the owner, and the store ends holding exactly the appends that succeeded, each stream
     * of one tenant.
     */
    @Test
    void random_interleavings_of_tenants_never_observe_another_tenants_event() throws Exception {
        List<TenantId> tenants = List.of(ACME, GLOBEX, TenantId.of("initech"));
        List<UUID> ids = Stream.generate(UUID::randomUUID).limit(12).toList();
        Map<String, AtomicLong> appended = new ConcurrentHashMap<>();
        Set<String> violations = ConcurrentHashMap.newKeySet();
        AtomicLong refusals = new AtomicLong();
        int threads = 4;
        int operations = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 17L * t + 1;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int op = 0; op < operations; op++) {
                        TenantId tenant = tenants.get(random.nextInt(tenants.size()));
                        EventStore view = scoped(tenant);
                        UUID id = ids.get(random.nextInt(ids.size()));
                        try {
                            switch (random.nextInt(4)) {
                                case 0, 1 -> {
                                    appendTo(view, id, tenant.value(), random.nextBoolean() ? ExpectedVersion.ANY
                                            : ExpectedVersion.exactly(view.getStreamVersion(id, TYPE)));
                                    appended.computeIfAbsent(tenant.value(), k -> new AtomicLong()).incrementAndGet();
                                }
                                case 2 -> view.getEvents(id, TYPE).events().forEach(e -> check(violations, tenant, e));
                                default -> {
                                    try (Stream<StoredEvent> all = view.readAll()) {
                                        all.forEach(e -> check(violations, tenant, e));
                                    }
                                }
                            }
                        } catch (CrossTenantAccessException refused) {
                            refusals.incrementAndGet();
                            if (refused.owner() == null || refused.owner().equals(tenant.value())) {
                                violations.add("refused " + tenant + " naming owner " + refused.owner());
                            }
                        } catch (OptimisticLockException raced) {
                            // an exact expectation overtaken by another writer: nothing written
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(violations).isEmpty();
        assertThat(refusals.get()).as("the tenants collided on shared ids").isPositive();
        List<StoredEvent> all = readAll();
        Map<String, Long> stored = all.stream().collect(Collectors.groupingBy(StoredEvent::tenantId, Collectors.counting()));
        Map<String, Long> expected = new HashMap<>();
        appended.forEach((tenant, count) -> expected.put(tenant, count.get()));
        assertThat(stored).isEqualTo(expected);
        for (UUID id : ids) {
            assertThat(store.getEvents(id, TYPE).events().stream().map(StoredEvent::tenantId).distinct().count())
                    .as("tenants in stream %s", id).isLessThanOrEqualTo(1);
        }
        for (StoredEvent e : all) {
            assertThat(((TckEvent.Created) e.event()).name()).as("an event's payload names the tenant that wrote it")
                    .isEqualTo(e.tenantId());
        }
    }

    private static void check(Set<String> violations, TenantId tenant, StoredEvent e) {
        if (!tenant.value().equals(e.tenantId())) {
            violations.add(tenant + " saw event " + e.eventId() + " of " + e.tenantId());
        }
    }

    @Test
    void a_subscription_filtered_to_one_tenant_sees_exactly_that_tenants_events_in_order() throws Exception {
        EventStore acme = scoped(ACME);
        EventStore globex = scoped(GLOBEX);
        for (int i = 0; i < 30; i++) {
            appendTo(i % 3 == 0 ? globex : acme, UUID.randomUUID(), (i % 3 == 0 ? "globex-" : "acme-") + i, ExpectedVersion.NO_STREAM);
        }
        streamWith(2);
        List<StoredEvent> expected = readAll().stream().filter(e -> "acme".equals(e.tenantId())).toList();
        List<StoredEvent> seen = Collections.synchronizedList(new ArrayList<>());
        try (SubscriptionManager manager = SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(10)).build()) {
            Subscription s = manager.subscribe("titles/acme", seen::add,
                    SubscriptionOptions.builder().tenant(ACME).batchSize(7).build());
            assertThat(s.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();
        }

        assertThat(seen).extracting(StoredEvent::eventId).containsExactlyElementsOf(
                expected.stream().map(StoredEvent::eventId).toList());
        assertThat(seen).hasSize(20);
    }

    @Test
    void a_stream_head_is_the_version_and_the_tenant_of_the_last_event_and_a_view_refuses_another_tenants() {
        UUID id = UUID.randomUUID();
        store.append(id, TYPE, List.of(NewEvent.of(new TckEvent.Created("a"), EventMetadata.EMPTY.withTenantId("acme")),
                NewEvent.of(new TckEvent.Renamed("b", 2), EventMetadata.EMPTY.withTenantId("globex"))), ExpectedVersion.NO_STREAM);
        UUID untagged = streamWith(3);

        assertThat(store.getStreamHead(id, TYPE)).isEqualTo(new StreamHead(2, "globex"));
        assertThat(store.getStreamHead(untagged, TYPE)).isEqualTo(new StreamHead(3, null));
        assertThat(store.getStreamHead(UUID.randomUUID(), TYPE)).isEqualTo(StreamHead.NONE);
        assertThat(store.getStreamHead(id, "Other")).as("another aggregate type").isEqualTo(StreamHead.NONE);
        assertThat(scoped(GLOBEX).getStreamHead(id, TYPE)).isEqualTo(new StreamHead(2, "globex"));
        assertThatThrownBy(() -> scoped(ACME).getStreamHead(id, TYPE)).isInstanceOf(CrossTenantAccessException.class)
                .satisfies(e -> assertThat(((CrossTenantAccessException) e).owner()).isEqualTo("globex"));
        assertThat(scoped(ACME).getStreamHead(UUID.randomUUID(), TYPE)).isEqualTo(StreamHead.NONE);
    }

    @Test
    void tenant_ids_are_validated() {
        for (String bad : List.of("", " ", " acme", "acme ", "a\u0000b")) {
            assertThatThrownBy(() -> TenantId.of(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> TenantId.of(null)).isInstanceOf(NullPointerException.class);
        assertThat(Collections.singleton(TenantId.of("acme"))).containsExactly(ACME);
    }
}
