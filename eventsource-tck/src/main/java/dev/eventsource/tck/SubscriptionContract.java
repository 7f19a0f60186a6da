package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.subscription.AfterDeadLetter;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointNames;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.CheckpointStrategy;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.DuplicateSubscriptionException;
import dev.eventsource.subscription.Projection;
import dev.eventsource.subscription.RetryPolicy;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscriber;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionHealth;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.SubscriptionState;
import dev.eventsource.tenant.CrossTenantAccessException;
import dev.eventsource.tenant.TenantId;
import dev.eventsource.tenant.TenantScopedEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviours every backend's subscriptions share, run through a real
 * {@link SubscriptionManager} over the backend's store, checkpoint store and dead-letter queue:
 * catch-up in batches then live delivery with no gap and no duplicate (also while writers append
 * from several threads), start positions, type filters, checkpoint strategies, retry then
 * dead-letter, continue or stop, dead-letter retry, pause and resume, shutdown, health and lag,
 * stored events the reading process cannot decode, and projection rebuild while writers keep
 * writing.
 *
 * <p>A backend implements {@link #newStore(EventRegistry)} (a new, empty store, not yet
 * initialized, that also implements {@link EventImporter}: the suite stores events its registry
 * cannot decode by importing them, as a migration from another application would),
 * {@link #newCheckpointStore(EventStore)} and {@link #newDeadLetterStore(EventStore)}
 * (empty, on that store's database), and may override {@link #manager(EventStore)} to add an
 * {@code AppendNotifier}. Tests wait with generous timeouts and never assert on speed; the catch-up
 * test prints the median live latency it measured.
 */
public abstract class SubscriptionContract {

    private static final String TYPE = "Item";
    /** A type name the suite's registry does not know until a test registers {@link OddEvents.Named}. */
    private static final String UNREGISTERED = "tck.Named";

    /** A new, empty store using {@code registry}; not yet initialized. */
    protected abstract EventStore newStore(EventRegistry registry);

    /** An empty checkpoint store for {@code store} (in its database for a persistent backend). */
    protected abstract CheckpointStore newCheckpointStore(EventStore store);

    /** An empty dead-letter store for {@code store} (in its database for a persistent backend). */
    protected abstract DeadLetterStore newDeadLetterStore(EventStore store);

    /** How long a test waits for something to happen before it fails; generous, as machines vary. */
    protected Duration timeout() {
        return Duration.ofMinutes(3);
    }

    /** The manager builder the tests use; a backend may add its notifier. */
    protected SubscriptionManager.Builder manager(EventStore store) {
        return SubscriptionManager.builder(store).pollInterval(Duration.ofMillis(100));
    }

    private EventRegistry registry;
    private EventStore store;
    private CheckpointStore checkpoints;
    private DeadLetterStore deadLetters;
    private final List<SubscriptionManager> managers = new ArrayList<>();

    @BeforeEach
    final void openFreshStore() {
        registry = new EventRegistry();
        registry.register(TckEvent.class);
        store = newStore(registry);
        store.initialize();
        checkpoints = newCheckpointStore(store);
        deadLetters = newDeadLetterStore(store);
    }

    @AfterEach
    final void closeEverything() throws InterruptedException {
        for (SubscriptionManager m : managers) {
            m.shutdown(Duration.ofSeconds(10));
        }
        store.close();
    }

    // ---- helpers ----

    private SubscriptionManager newManager() {
        SubscriptionManager m = manager(store).checkpoints(checkpoints).deadLetters(deadLetters).build();
        managers.add(m);
        return m;
    }

    /** Appends {@code events} events as {@code events / perAppend} appends to fresh streams. */
    private void seed(int events, int perAppend) {
        for (int done = 0; done < events; done += perAppend) {
            int n = Math.min(perAppend, events - done);
            List<DomainEvent> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(i == 0 ? new TckEvent.Created("item") : new TckEvent.Renamed("item", i));
            }
            store.appendEvents(UUID.randomUUID(), TYPE, batch, ExpectedVersion.ANY);
        }
    }

    private long appendOne(DomainEvent event, String aggregateType) {
        return store.appendEvents(UUID.randomUUID(), aggregateType, List.of(event), ExpectedVersion.ANY).globalPosition();
    }

    /**
     * Stores, as one new stream, an event this store's registry cannot decode (a type it does not
     * know, or JSON that does not fit the class), recorded a minute ago; returns its id. Its global
     * position is then {@code store.globalPosition()}.
     */
    private UUID storeUndecodable(String eventType, String payloadJson) {
        assertThat(store).as("the subscription suite needs a store that imports rows").isInstanceOf(EventImporter.class);
        Instant recorded = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MICROS);
        UUID id = UUID.randomUUID();
        ((EventImporter) store).importRecorded(List.of(new RecordedEvent(id, eventType, 1, UUID.randomUUID(), TYPE, 1, 0,
                recorded, recorded, null, "{}", payloadJson)));
        return id;
    }

    private List<UUID> storedIds(ReadOptions options) {
        try (Stream<StoredEvent> all = store.readAll(options)) {
            return all.map(StoredEvent::eventId).collect(Collectors.toList());
        }
    }

    private void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout() + " waiting until " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** Waits long enough for a subscription to have acted on something, when asserting that it did not. */
    private static void settle() throws InterruptedException {
        Thread.sleep(500);
    }

    /** A subscriber that records what it gets, thread-safely. */
    private static class Recorder implements Subscriber {
        private final List<StoredEvent> events = Collections.synchronizedList(new ArrayList<>());
        final Map<UUID, Long> receivedAt = new ConcurrentHashMap<>();

        @Override
        public void handle(StoredEvent event) throws Exception {
            receivedAt.put(event.eventId(), System.nanoTime());
            events.add(event);
        }

        int size() {
            return events.size();
        }

        List<StoredEvent> events() {
            synchronized (events) {
                return new ArrayList<>(events);
            }
        }

        List<UUID> ids() {
            return events().stream().map(StoredEvent::eventId).collect(Collectors.toList());
        }
    }

    /** A recorder that fails on chosen events while {@code failing} is set. */
    private static final class FailingOn extends Recorder {
        final Set<UUID> poison = ConcurrentHashMap.newKeySet();
        final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final AtomicBoolean failing = new AtomicBoolean(true);

        @Override
        public void handle(StoredEvent event) throws Exception {
            attempts.computeIfAbsent(event.eventId(), k -> new AtomicInteger()).incrementAndGet();
            if (failing.get() && poison.contains(event.eventId())) {
                throw new IllegalStateException("cannot handle " + event.eventId());
            }
            super.handle(event);
        }
    }

    private static SubscriptionOptions.Builder options() {
        return SubscriptionOptions.builder().retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(1),
                Duration.ofMillis(10)));
    }

    private UUID poisonAt(long position) {
        return storedIds(ReadOptions.builder().fromPosition(position - 1).limit(1).build()).get(0);
    }

    // ---- catch-up and live ----

    @Test
    void catches_up_over_ten_thousand_events_one_at_a_time_exactly_once_in_order_then_goes_live() {
        catchUpThenLive(1);
    }

    @Test
    void catches_up_over_ten_thousand_events_in_batches_of_seven_exactly_once_in_order_then_goes_live() {
        catchUpThenLive(7);
    }

    @Test
    void catches_up_over_ten_thousand_events_in_batches_of_five_hundred_exactly_once_in_order_then_goes_live() {
        catchUpThenLive(500);
    }

    private void catchUpThenLive(int batchSize) {
        seed(10_000, 100);
        Recorder recorder = new Recorder();
        Subscription s = newManager().subscribe("catch-up", recorder, options().batchSize(batchSize)
                .checkpointStrategy(CheckpointStrategy.periodic(Duration.ofMillis(200))).build());

        eventually("10000 events arrived and the subscription is live",
                () -> recorder.size() >= 10_000 && s.state() == SubscriptionState.LIVE);
        assertThat(recorder.ids()).isEqualTo(storedIds(ReadOptions.ALL));

        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UUID id = UUID.randomUUID();
            long before = System.nanoTime();
            store.append(UUID.randomUUID(), TYPE, List.of(NewEvent.of(new TckEvent.Created("live " + i)).withEventId(id)),
                    ExpectedVersion.NO_STREAM);
            eventually("live event " + i + " arrived", () -> recorder.receivedAt.containsKey(id));
            latencies.add(recorder.receivedAt.get(id) - before);
        }
        assertThat(recorder.ids()).isEqualTo(storedIds(ReadOptions.ALL));
        Collections.sort(latencies);
        System.out.printf("%s: live delivery after catch-up (batch size %d): median %.3f ms, max %.3f ms%n",
                getClass().getSimpleName(), batchSize, latencies.get(latencies.size() / 2) / 1e6,
                latencies.get(latencies.size() - 1) / 1e6);
    }

    @Test
    void writers_appending_during_catch_up_and_the_switch_to_live_leave_no_gap_and_no_duplicate() throws Exception {
        seed(2_000, 10);
        Recorder recorder = new Recorder();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                running.add(writers.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        store.appendEvents(UUID.randomUUID(), TYPE,
                                List.of(new TckEvent.Created("w"), new TckEvent.Renamed("w", 2)), ExpectedVersion.ANY);
                    }
                }));
            }
            newManager().subscribe("racing", recorder, options().batchSize(50).build());
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }

        eventually("every event arrived", () -> recorder.size() >= 3_200);
        Thread.sleep(200);
        assertThat(recorder.ids()).isEqualTo(storedIds(ReadOptions.ALL)).hasSize(3_200);
    }

    // ---- start positions and filters ----

    @Test
    void start_from_end_delivers_only_events_appended_after_subscribing() {
        seed(30, 10);
        Recorder recorder = new Recorder();
        Subscription s = newManager().subscribe("tail", recorder, options().startFrom(StartFrom.END).build());
        eventually("live", () -> s.state() == SubscriptionState.LIVE);

        long later = appendOne(new TckEvent.Created("new"), TYPE);

        eventually("the new event arrived", () -> recorder.size() >= 1);
        assertThat(recorder.events()).extracting(StoredEvent::globalPosition).containsExactly(later);
    }

    @Test
    void start_after_a_position_delivers_the_events_after_it() {
        seed(30, 10);
        List<UUID> all = storedIds(ReadOptions.ALL);
        long twentieth = storedPositions().get(19);
        Recorder recorder = new Recorder();

        newManager().subscribe("from-20", recorder, options().startFrom(StartFrom.after(twentieth)).build());

        eventually("ten events arrived", () -> recorder.size() >= 10);
        assertThat(recorder.ids()).isEqualTo(all.subList(20, 30));
    }

    @Test
    void a_restarted_subscription_resumes_after_its_checkpoint() throws Exception {
        seed(40, 10);
        Recorder first = new Recorder();
        SubscriptionManager m1 = newManager();
        m1.subscribe("resumable", first, options().batchSize(5).build());
        eventually("forty events", () -> first.size() >= 40);
        assertThat(m1.shutdown(Duration.ofSeconds(10))).isTrue();
        seed(15, 5);

        Recorder second = new Recorder();
        newManager().subscribe("resumable", second, options().batchSize(5).build());

        eventually("fifteen more events", () -> second.size() >= 15);
        settle();
        assertThat(second.ids()).isEqualTo(storedIds(ReadOptions.ALL).subList(40, 55));
        assertThat(checkpoints.find("resumable")).get().extracting(Checkpoint::eventsProcessed).isEqualTo(55L);
    }

    // ---- checkpoints and tenants (ADR 0005) ----

    private List<UUID> appendForTenants(int rounds) {
        List<UUID> acme = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            for (String tenant : List.of("acme", "globex", "acme")) {
                UUID eventId = UUID.randomUUID();
                store.append(UUID.randomUUID(), TYPE, List.of(new NewEvent(new TckEvent.Created(tenant), eventId, Instant.now(),
                        dev.eventsource.event.EventMetadata.EMPTY.withTenantId(tenant))), ExpectedVersion.NO_STREAM);
                if (tenant.equals("acme")) {
                    acme.add(eventId);
                }
            }
        }
        return acme;
    }

    /**
     * A subscription filtered to one tenant keeps its checkpoint under its name qualified by the
     * tenant: it does not resume from the checkpoint of a same-named subscription of all tenants
     * or of another tenant (both saved at the end of the log here), and they keep theirs.
     */
    @Test
    void a_tenant_filtered_subscription_never_resumes_from_the_checkpoint_of_another_tenant_or_of_all_tenants() throws Exception {
        List<UUID> acme = appendForTenants(5);
        long end = store.globalPosition();
        Checkpoint allTenants = new Checkpoint("billing", end, 15, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Checkpoint globex = new Checkpoint(CheckpointNames.of("billing", TenantId.of("globex")), end, 5, null, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        checkpoints.save(allTenants);
        checkpoints.save(globex);
        Recorder recorder = new Recorder();
        SubscriptionManager m1 = newManager();

        m1.subscribe("billing", recorder, options().tenant(TenantId.of("acme")).batchSize(4).build());

        eventually("acme's ten events", () -> recorder.size() >= 10);
        assertThat(m1.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(recorder.ids()).isEqualTo(acme);
        String acmeName = CheckpointNames.of("billing", TenantId.of("acme"));
        assertThat(acmeName).isNotEqualTo("billing").contains("acme");
        assertThat(checkpoints.find(acmeName)).get().extracting(Checkpoint::eventsProcessed).isEqualTo(10L);
        assertThat(checkpoints.find("billing")).get().extracting(Checkpoint::position, Checkpoint::eventsProcessed)
                .containsExactly(end, 15L);
        assertThat(checkpoints.find(globex.subscription())).get().extracting(Checkpoint::position, Checkpoint::eventsProcessed)
                .containsExactly(end, 5L);

        List<UUID> more = appendForTenants(1);
        Recorder resumed = new Recorder();
        newManager().subscribe("billing", resumed, options().tenant(TenantId.of("acme")).build());
        eventually("acme's two new events", () -> resumed.size() >= 2);
        settle();
        assertThat(resumed.ids()).as("resumed from its own checkpoint").isEqualTo(more);
    }

    /**
     * A manager built on a tenant's view qualifies its checkpoint names by that tenant, as a
     * filter would, and refuses a subscription filtered to another tenant.
     */
    @Test
    void a_manager_on_a_tenants_view_keeps_checkpoints_per_tenant_and_refuses_another_tenants_filter() throws Exception {
        List<UUID> acme = appendForTenants(3);
        checkpoints.save(new Checkpoint("billing", store.globalPosition(), 9, null, null, Instant.now()));
        SubscriptionManager onView = SubscriptionManager.builder(TenantScopedEventStore.of(store, TenantId.of("acme")))
                .pollInterval(Duration.ofMillis(20)).checkpoints(checkpoints).deadLetters(deadLetters).build();
        managers.add(onView);
        Recorder recorder = new Recorder();

        onView.subscribe("billing", recorder, options().build());

        eventually("acme's six events", () -> recorder.size() >= 6);
        assertThat(onView.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(recorder.ids()).isEqualTo(acme);
        assertThat(checkpoints.find(CheckpointNames.of("billing", TenantId.of("acme")))).get()
                .extracting(Checkpoint::eventsProcessed).isEqualTo(6L);
        assertThat(checkpoints.find("billing")).get().extracting(Checkpoint::eventsProcessed).isEqualTo(9L);

        SubscriptionManager again = SubscriptionManager.builder(TenantScopedEventStore.of(store, TenantId.of("acme")))
                .checkpoints(checkpoints).build();
        managers.add(again);
        assertThatThrownBy(() -> again.subscribe("billing", new Recorder(), options().tenant(TenantId.of("globex")).build()))
                .isInstanceOf(CrossTenantAccessException.class).hasMessageContaining("'acme'").hasMessageContaining("'globex'");
        assertThatThrownBy(() -> again.subscribe("billing" + CheckpointNames.TENANT_SEPARATOR + "x", new Recorder(), options().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(CheckpointNames.TENANT_SEPARATOR);
    }

    @Test
    void start_from_beginning_ignores_a_saved_checkpoint() {
        seed(12, 4);
        long position = storedPositions().get(5);
        checkpoints.save(new Checkpoint("again", position, 6, null, null, java.time.Instant.now()));
        Recorder recorder = new Recorder();

        newManager().subscribe("again", recorder, options().startFrom(StartFrom.BEGINNING).build());

        eventually("all twelve", () -> recorder.size() >= 12);
        assertThat(recorder.ids()).isEqualTo(storedIds(ReadOptions.ALL));
    }

    @Test
    void filters_deliver_only_the_chosen_event_and_aggregate_types() {
        appendOne(new TckEvent.Created("a"), TYPE);
        appendOne(new TckEvent.Renamed("b", 2), TYPE);
        appendOne(new TckEvent.Created("c"), "Other");
        appendOne(new TckEvent.Renamed("d", 2), "Other");
        Recorder byEventType = new Recorder();
        Recorder byAggregateType = new Recorder();
        SubscriptionManager m = newManager();

        m.subscribe("renames", byEventType, options().eventTypes(registryName(TckEvent.Renamed.class)).build());
        m.subscribe("others", byAggregateType, options().aggregateTypes("Other").build());

        eventually("both filtered subscriptions are live", () -> m.subscriptions().stream()
                .allMatch(s -> s.state() == SubscriptionState.LIVE) && byEventType.size() >= 2 && byAggregateType.size() >= 2);
        assertThat(byEventType.events()).extracting(e -> ((TckEvent.Renamed) e.event()).name()).containsExactly("b", "d");
        assertThat(byAggregateType.events()).extracting(StoredEvent::aggregateType).containsOnly("Other").hasSize(2);
    }

    /** Event types whose names hold the characters SQL patterns treat specially, for the wildcard filters. */
    public sealed interface Odd extends DomainEvent {
    }

    @dev.eventsource.event.EventType("Ord_r.Placed")
    public record UnderscorePlaced(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("OrdXr.Placed")
    public record XPlaced(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("ord_r.Placed")
    public record LowerPlaced(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("Ord%Shipped")
    public record PercentShipped(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("OrdZZShipped")
    public record ZzShipped(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("Back\\slash?[x].Done")
    public record BackslashDone(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("Invoice.Created")
    public record InvoiceCreated(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("Invoice.Paid")
    public record InvoicePaid(int n) implements Odd {
    }

    @dev.eventsource.event.EventType("Invoice.Voided")
    public record InvoiceVoided(int n) implements Odd {
    }

    @Test
    void wildcard_type_filters_select_by_prefix_suffix_and_infix_case_sensitively_with_sql_characters_literal() {
        registry.register(Odd.class);
        List<DomainEvent> all = List.of(new UnderscorePlaced(1), new XPlaced(2), new LowerPlaced(3), new PercentShipped(4),
                new ZzShipped(5), new BackslashDone(6), new InvoiceCreated(7), new InvoicePaid(8), new InvoiceVoided(9),
                new TckEvent.Created("plain"));
        all.forEach(e -> appendOne(e, TYPE));
        Recorder mixed = new Recorder();
        Recorder suffix = new Recorder();
        Recorder infix = new Recorder();
        Recorder special = new Recorder();
        SubscriptionManager m = newManager();

        m.subscribe("mixed", mixed, options().eventTypes("Ord_r*", "Ord%*", "*.Created", "Invoice.Paid").build());
        m.subscribe("suffix", suffix, options().eventTypes("*Shipped").build());
        m.subscribe("infix", infix, options().eventTypes("*voice*").build());
        m.subscribe("special", special, options().eventTypes("Back\\slash?[x]*").build());

        for (Subscription s : m.subscriptions()) {
            try {
                assertThat(s.awaitCaughtUp(timeout())).as(s.name() + " caught up").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(mixed.events()).extracting(StoredEvent::eventType)
                .containsExactly("Ord_r.Placed", "Ord%Shipped", "Invoice.Created", "Invoice.Paid");
        assertThat(suffix.events()).extracting(StoredEvent::eventType).containsExactly("Ord%Shipped", "OrdZZShipped");
        assertThat(infix.events()).extracting(StoredEvent::eventType)
                .containsExactly("Invoice.Created", "Invoice.Paid", "Invoice.Voided");
        assertThat(special.events()).extracting(StoredEvent::eventType).containsExactly("Back\\slash?[x].Done");
        assertThat(storedIds(ReadOptions.builder().eventTypes("Ord_r*").build())).as("readAll applies the same filter")
                .hasSize(1);
    }

    @Test
    void a_projection_reads_only_the_event_types_it_declares() {
        appendOne(new TckEvent.Created("a"), TYPE);
        appendOne(new TckEvent.Renamed("b", 2), TYPE);
        Recorder seen = new Recorder();
        Projection renames = new Projection() {
            @Override
            public Set<String> eventTypes() {
                return Set.of(registryName(TckEvent.Renamed.class));
            }

            @Override
            public void handle(StoredEvent event) throws Exception {
                seen.handle(event);
            }

            @Override
            public void reset() {
            }
        };

        Subscription s = newManager().subscribe("declared", renames);

        eventually("live", () -> s.state() == SubscriptionState.LIVE && seen.size() >= 1);
        assertThat(seen.events()).extracting(StoredEvent::event).containsExactly(new TckEvent.Renamed("b", 2));
    }

    // ---- checkpoints ----

    @Test
    void checkpointing_every_event_saves_the_previous_event_before_the_next_is_handled() {
        seed(12, 4);
        List<Long> positions = storedPositions();
        List<Long> seenCheckpoints = new CopyOnWriteArrayList<>();
        Subscriber probe = e -> seenCheckpoints.add(checkpoints.find("each").map(Checkpoint::position).orElse(0L));

        newManager().subscribe("each", probe, options().batchSize(5).checkpointStrategy(CheckpointStrategy.EVERY_EVENT)
                .build());

        eventually("twelve events", () -> seenCheckpoints.size() >= 12);
        List<Long> expected = new ArrayList<>();
        expected.add(0L);
        expected.addAll(positions.subList(0, 11));
        assertThat(seenCheckpoints).isEqualTo(expected);
    }

    @Test
    void checkpointing_every_batch_saves_at_the_end_of_each_batch() {
        seed(12, 4);
        List<Long> positions = storedPositions();
        List<Long> seenCheckpoints = new CopyOnWriteArrayList<>();
        Subscriber probe = e -> seenCheckpoints.add(checkpoints.find("batches").map(Checkpoint::position).orElse(0L));

        newManager().subscribe("batches", probe, options().batchSize(5).checkpointStrategy(CheckpointStrategy.EVERY_BATCH)
                .build());

        eventually("twelve events", () -> seenCheckpoints.size() >= 12);
        long p5 = positions.get(4);
        long p10 = positions.get(9);
        assertThat(seenCheckpoints).containsExactly(0L, 0L, 0L, 0L, 0L, p5, p5, p5, p5, p5, p10, p10);
    }

    @Test
    void a_periodic_checkpoint_is_saved_when_the_subscription_catches_up() {
        seed(12, 4);
        Recorder recorder = new Recorder();

        Subscription s = newManager().subscribe("periodic", recorder, options().batchSize(5)
                .checkpointStrategy(CheckpointStrategy.periodic(Duration.ofHours(1))).build());

        eventually("live with a checkpoint", () -> s.state() == SubscriptionState.LIVE
                && checkpoints.find("periodic").isPresent());
        assertThat(checkpoints.find("periodic")).get().satisfies(c -> {
            assertThat(c.position()).isEqualTo(store.globalPosition());
            assertThat(c.eventsProcessed()).isEqualTo(12);
            assertThat(c.lastEventId()).isEqualTo(recorder.ids().get(11));
        });
    }

    // ---- failures ----

    @Test
    void a_failing_event_is_retried_then_dead_lettered_and_the_subscription_goes_on() {
        seed(10, 5);
        FailingOn handler = new FailingOn();
        UUID poison = poisonAt(storedPositions().get(3));
        handler.poison.add(poison);

        Subscription s = newManager().subscribe("flaky", handler, options().build());

        eventually("nine events handled", () -> handler.size() >= 9 && s.state() == SubscriptionState.LIVE);
        assertThat(handler.attempts.get(poison)).hasValue(3);
        assertThat(handler.ids()).doesNotContain(poison).hasSize(9);
        assertThat(deadLetters.list("flaky")).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(poison);
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.error()).contains("IllegalStateException").contains(poison.toString());
            assertThat(d.stackTrace()).contains("IllegalStateException");
            assertThat(d.payload()).contains("item");
        });
        assertThat(checkpoints.find("flaky")).get().extracting(Checkpoint::position).isEqualTo(store.globalPosition());
        assertThat(s.health().eventsFailed()).isEqualTo(3);
    }

    @Test
    void one_failing_subscription_never_stops_the_others() {
        seed(10, 5);
        FailingOn failing = new FailingOn();
        failing.poison.add(poisonAt(storedPositions().get(0)));
        Recorder healthy = new Recorder();
        SubscriptionManager m = newManager();

        Subscription broken = m.subscribe("broken", failing, options().afterDeadLetter(AfterDeadLetter.STOP).build());
        m.subscribe("healthy", healthy, options().build());
        seed(5, 5);

        eventually("the healthy one has everything", () -> healthy.size() >= 15);
        eventually("the broken one failed", () -> broken.state() == SubscriptionState.FAILED);
        assertThat(healthy.ids()).isEqualTo(storedIds(ReadOptions.ALL));
        assertThat(m.health().healthy()).isFalse();
    }

    @Test
    void a_subscription_told_to_stop_on_a_dead_letter_keeps_its_checkpoint_before_that_event() throws Exception {
        seed(10, 5);
        List<Long> positions = storedPositions();
        FailingOn handler = new FailingOn();
        handler.poison.add(poisonAt(positions.get(6)));

        Subscription s = newManager().subscribe("strict", handler, options().batchSize(4)
                .afterDeadLetter(AfterDeadLetter.STOP).build());

        eventually("failed", () -> s.state() == SubscriptionState.FAILED);
        settle();
        assertThat(handler.size()).isEqualTo(6);
        assertThat(s.position()).isEqualTo(positions.get(5));
        assertThat(checkpoints.find("strict")).get().extracting(Checkpoint::position).isEqualTo(positions.get(5));
        assertThat(deadLetters.list("strict")).hasSize(1);
    }

    @Test
    void a_failed_subscription_resumed_after_the_fix_goes_on_from_the_failed_event() {
        seed(10, 5);
        FailingOn handler = new FailingOn();
        handler.poison.add(poisonAt(storedPositions().get(6)));
        Subscription s = newManager().subscribe("fixable", handler, options()
                .afterDeadLetter(AfterDeadLetter.STOP).build());
        eventually("failed", () -> s.state() == SubscriptionState.FAILED);

        handler.failing.set(false);
        s.resume();

        eventually("all ten", () -> handler.size() >= 10);
        assertThat(handler.ids()).isEqualTo(storedIds(ReadOptions.ALL));
    }

    @Test
    void an_error_the_retry_policy_calls_permanent_is_dead_lettered_at_the_first_failure() {
        seed(5, 5);
        UUID poison = poisonAt(storedPositions().get(2));
        AtomicInteger attempts = new AtomicInteger();
        Subscription s = newManager().subscribe("permanent", event -> {
            if (event.eventId().equals(poison)) {
                attempts.incrementAndGet();
                throw new IllegalArgumentException("bad data in " + event.eventId());
            }
        }, options().retryPolicy(RetryPolicy.exponential(5, Duration.ofMillis(1), Duration.ofMillis(5))
                .permanentOn(IllegalArgumentException.class)).build());

        eventually("dead-lettered", () -> deadLetters.list("permanent").size() == 1);
        eventually("past it", () -> s.position() == storedPositions().get(4));
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(deadLetters.list("permanent").get(0).attempts()).isEqualTo(1);
    }

    @Test
    void waiting_until_caught_up_returns_once_everything_stored_before_the_call_is_handled() throws Exception {
        seed(300, 10);
        Recorder recorder = new Recorder();
        Subscription s = newManager().subscribe("waiting", recorder, options().batchSize(20).build());

        assertThat(s.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();

        assertThat(recorder.size()).isGreaterThanOrEqualTo(300);
        Subscription filtered = newManager().subscribe("nothing-selected", new Recorder(),
                options().eventTypes("NoSuchType").build());
        assertThat(filtered.awaitCaughtUp(Duration.ofMinutes(1))).as("a filter that selects nothing is caught up at once")
                .isTrue();
    }

    @Test
    void retrying_a_dead_letter_delivers_the_event_again_and_resolves_it() {
        seed(6, 3);
        FailingOn handler = new FailingOn();
        UUID poison = poisonAt(storedPositions().get(2));
        handler.poison.add(poison);
        SubscriptionManager m = newManager();
        m.subscribe("retryable", handler, options().build());
        eventually("dead-lettered", () -> deadLetters.list("retryable").size() == 1 && handler.size() >= 5);
        DeadLetter letter = deadLetters.list("retryable").get(0);

        handler.failing.set(false);
        boolean handled = m.retryDeadLetter(letter.id());

        assertThat(handled).isTrue();
        assertThat(handler.ids()).contains(poison).hasSize(6);
        assertThat(deadLetters.list("retryable")).isEmpty();
        assertThat(deadLetters.find(letter.id())).get().extracting(DeadLetter::isResolved).isEqualTo(true);
    }

    @Test
    void retrying_all_dead_letters_of_a_subscription_resolves_those_handled_and_counts_the_others() {
        seed(8, 3);
        FailingOn handler = new FailingOn();
        List<Long> positions = storedPositions();
        UUID fixed = poisonAt(positions.get(1));
        UUID stillBroken = poisonAt(positions.get(4));
        handler.poison.add(fixed);
        handler.poison.add(stillBroken);
        SubscriptionManager m = newManager();
        m.subscribe("bulk", handler, options().build());
        eventually("two dead-lettered", () -> deadLetters.list("bulk").size() == 2 && handler.size() >= 6);

        handler.poison.remove(fixed);
        int handled = m.retryDeadLetters("bulk");

        assertThat(handled).isEqualTo(1);
        assertThat(handler.ids()).contains(fixed).doesNotContain(stillBroken);
        assertThat(deadLetters.list("bulk")).singleElement().satisfies(d -> assertThat(d.eventId()).isEqualTo(stillBroken));
        assertThatThrownBy(() -> m.retryDeadLetters("unknown")).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void a_dead_letter_retry_that_fails_again_stays_queued_with_its_attempts_counted() {
        seed(3, 3);
        FailingOn handler = new FailingOn();
        handler.poison.add(poisonAt(storedPositions().get(1)));
        SubscriptionManager m = newManager();
        m.subscribe("stubborn", handler, options().build());
        eventually("dead-lettered", () -> deadLetters.list("stubborn").size() == 1);
        DeadLetter letter = deadLetters.list("stubborn").get(0);

        boolean handled = m.retryDeadLetter(letter.id());

        assertThat(handled).isFalse();
        assertThat(deadLetters.list("stubborn")).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(letter.id());
            assertThat(d.attempts()).isEqualTo(4);
        });
    }

    // ---- events this process cannot decode ----

    @Test
    void an_undecodable_event_is_dead_lettered_and_the_events_around_it_are_delivered() {
        long first = appendOne(new TckEvent.Created("a"), TYPE);
        long second = appendOne(new TckEvent.Created("b"), TYPE);
        UUID unknown = storeUndecodable(UNREGISTERED, "{\"value\":\"x\"}");
        long unknownAt = store.globalPosition();
        long third = appendOne(new TckEvent.Created("c"), TYPE);
        Recorder recorder = new Recorder();

        Subscription s = newManager().subscribe("tolerant", recorder, options().batchSize(10).build());

        eventually("the three good events arrived and it is live",
                () -> recorder.size() >= 3 && s.state() == SubscriptionState.LIVE);
        assertThat(recorder.events()).extracting(StoredEvent::globalPosition).containsExactly(first, second, third);
        assertThat(deadLetters.list("tolerant")).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(unknown);
            assertThat(d.eventType()).isEqualTo(UNREGISTERED);
            assertThat(d.globalPosition()).isEqualTo(unknownAt);
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.payload()).contains("value").contains("\"x\"");
            assertThat(d.error()).contains(unknown.toString()).contains(UNREGISTERED)
                    .contains("position " + unknownAt).contains("register");
            assertThat(d.stackTrace()).contains(UNREGISTERED);
        });
        assertThat(checkpoints.find("tolerant")).get().extracting(Checkpoint::position).isEqualTo(third);
    }

    @Test
    void an_event_that_no_longer_fits_its_class_is_dead_lettered_at_once_without_retries() {
        UUID misfit = storeUndecodable(registryName(TckEvent.Renamed.class), "{\"name\":\"x\",\"revision\":\"not a number\"}");
        long after = appendOne(new TckEvent.Created("after"), TYPE);
        FailingOn handler = new FailingOn();

        Subscription s = newManager().subscribe("strict-shape", handler, options().build());

        eventually("the next event arrived", () -> handler.size() >= 1 && s.state() == SubscriptionState.LIVE);
        assertThat(handler.attempts).doesNotContainKey(misfit);
        assertThat(handler.events()).extracting(StoredEvent::globalPosition).containsExactly(after);
        assertThat(deadLetters.list("strict-shape")).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(misfit);
            assertThat(d.attempts()).as("decoding gives the same result every time").isEqualTo(1);
            assertThat(d.error()).contains(misfit.toString()).contains("not a number");
        });
    }

    @Test
    void a_subscription_told_to_stop_on_a_dead_letter_stops_in_failed_at_an_undecodable_event() throws Exception {
        long first = appendOne(new TckEvent.Created("a"), TYPE);
        UUID unknown = storeUndecodable(UNREGISTERED, "{\"value\":\"x\"}");
        appendOne(new TckEvent.Created("c"), TYPE);
        Recorder recorder = new Recorder();
        SubscriptionManager m = newManager();

        Subscription s = m.subscribe("halting", recorder, options().afterDeadLetter(AfterDeadLetter.STOP).build());

        eventually("failed", () -> s.state() == SubscriptionState.FAILED);
        settle();
        assertThat(recorder.events()).extracting(StoredEvent::globalPosition).containsExactly(first);
        assertThat(s.position()).isEqualTo(first);
        assertThat(checkpoints.find("halting")).get().extracting(Checkpoint::position).isEqualTo(first);
        assertThat(deadLetters.list("halting")).extracting(DeadLetter::eventId).containsExactly(unknown);
        assertThat(s.health().lastError()).contains(unknown.toString());
        assertThat(m.health().healthy()).isFalse();
    }

    @Test
    void a_subscription_with_an_unregistered_type_reports_unhealthy() {
        appendOne(new TckEvent.Created("a"), TYPE);
        storeUndecodable(UNREGISTERED, "{\"value\":\"x\"}");
        Recorder recorder = new Recorder();
        SubscriptionManager m = newManager();
        m.subscribe("read-only", recorder, options().build());

        eventually("the manager reports it", () -> !m.health().healthy());

        assertThat(m.health().subscriptions()).singleElement().satisfies(h -> {
            assertThat(h.deadLetters()).isEqualTo(1);
            assertThat(h.lastError()).contains(UNREGISTERED);
        });
    }

    @Test
    void an_undecodable_event_retried_after_its_class_is_registered_is_delivered_and_health_recovers() {
        storeUndecodable(UNREGISTERED, "{\"value\":\"x\"}");
        Recorder recorder = new Recorder();
        SubscriptionManager m = newManager();
        Subscription s = m.subscribe("late-registration", recorder, options().build());
        eventually("dead-lettered", () -> deadLetters.list("late-registration").size() == 1
                && s.state() == SubscriptionState.LIVE);
        DeadLetter letter = deadLetters.list("late-registration").get(0);

        registry.register(OddEvents.Named.class);
        boolean handled = m.retryDeadLetter(letter.id());

        assertThat(handled).isTrue();
        assertThat(recorder.events()).extracting(StoredEvent::event).containsExactly(new OddEvents.Named("x"));
        assertThat(deadLetters.list("late-registration")).isEmpty();
        assertThat(m.health().healthy()).isTrue();
    }

    @Test
    void health_never_decodes_payloads() {
        appendOne(new TckEvent.Created("a"), TYPE);
        Recorder recorder = new Recorder();
        SubscriptionManager m = newManager();
        Subscription s = m.subscribe("paused-before-it", recorder, options().build());
        eventually("live", () -> recorder.size() >= 1 && s.state() == SubscriptionState.LIVE);
        s.pause();
        eventually("paused", () -> s.state() == SubscriptionState.PAUSED);
        storeUndecodable(UNREGISTERED, "{\"value\":\"x\"}");

        SubscriptionHealth health = s.health();

        assertThat(health.lagEvents()).isEqualTo(1);
        assertThat(health.lagTime()).as("the stored row's time, a minute ago").isGreaterThanOrEqualTo(Duration.ofSeconds(59));
        assertThat(m.health().subscriptions()).hasSize(1);
    }

    @Test
    void a_dead_letter_handled_when_a_stopped_subscription_resumes_is_resolved_and_cannot_be_delivered_twice() {
        seed(10, 5);
        FailingOn handler = new FailingOn();
        handler.poison.add(poisonAt(storedPositions().get(6)));
        SubscriptionManager m = newManager();
        Subscription s = m.subscribe("resumed", handler, options().afterDeadLetter(AfterDeadLetter.STOP).build());
        eventually("failed", () -> s.state() == SubscriptionState.FAILED);
        DeadLetter letter = deadLetters.list("resumed").get(0);

        handler.failing.set(false);
        s.resume();

        eventually("all ten", () -> handler.size() >= 10);
        assertThat(deadLetters.list("resumed")).isEmpty();
        assertThat(deadLetters.find(letter.id())).get().extracting(DeadLetter::isResolved).isEqualTo(true);
        assertThatThrownBy(() -> m.retryDeadLetter(letter.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resolved");
        assertThat(handler.ids()).isEqualTo(storedIds(ReadOptions.ALL));
        assertThat(m.health().healthy()).isTrue();
    }

    @Test
    void a_dead_letter_handled_by_the_subscription_restarted_in_a_new_manager_is_resolved() throws Exception {
        seed(10, 5);
        FailingOn failing = new FailingOn();
        failing.poison.add(poisonAt(storedPositions().get(6)));
        SubscriptionManager first = newManager();
        Subscription s = first.subscribe("restarted", failing, options().afterDeadLetter(AfterDeadLetter.STOP).build());
        eventually("failed", () -> s.state() == SubscriptionState.FAILED);
        assertThat(first.shutdown(Duration.ofSeconds(10))).isTrue();

        Recorder fixed = new Recorder();
        newManager().subscribe("restarted", fixed, options().afterDeadLetter(AfterDeadLetter.STOP).build());

        eventually("the last four", () -> fixed.size() >= 4);
        assertThat(fixed.ids()).isEqualTo(storedIds(ReadOptions.ALL).subList(6, 10));
        assertThat(deadLetters.list("restarted")).isEmpty();
    }

    // ---- control ----

    @Test
    void a_paused_subscription_holds_events_back_until_resumed() throws Exception {
        seed(5, 5);
        Recorder recorder = new Recorder();
        Subscription s = newManager().subscribe("pausable", recorder, options().build());
        eventually("five events", () -> recorder.size() >= 5);

        s.pause();
        eventually("paused", () -> s.state() == SubscriptionState.PAUSED);
        seed(3, 3);
        settle();
        assertThat(recorder.size()).isEqualTo(5);

        s.resume();
        eventually("eight events", () -> recorder.size() >= 8);
        assertThat(recorder.ids()).isEqualTo(storedIds(ReadOptions.ALL));
    }

    @Test
    void shutdown_finishes_the_batch_in_flight_and_saves_its_checkpoint() throws Exception {
        seed(200, 10);
        Recorder recorder = new Recorder();
        Subscriber slow = e -> {
            Thread.sleep(5);
            recorder.handle(e);
        };
        SubscriptionManager m = newManager();
        m.subscribe("slow", slow, options().batchSize(10).build());
        eventually("the first batch is done", () -> recorder.size() >= 10);

        boolean ended = m.shutdown(Duration.ofSeconds(30));

        assertThat(ended).isTrue();
        int handled = recorder.size();
        assertThat(handled % 10).as("handled a whole number of batches").isZero();
        assertThat(handled).isLessThan(200);
        assertThat(checkpoints.find("slow")).get().satisfies(c -> {
            assertThat(c.eventsProcessed()).isEqualTo(handled);
            assertThat(c.lastEventId()).isEqualTo(recorder.ids().get(handled - 1));
        });
    }

    @Test
    void a_second_subscription_under_a_taken_name_is_refused() {
        SubscriptionManager m = newManager();
        m.subscribe("unique", new Recorder());

        assertThatThrownBy(() -> m.subscribe("unique", new Recorder()))
                .isInstanceOf(DuplicateSubscriptionException.class)
                .hasMessageContaining("unique");
        assertThat(m.subscriptions()).hasSize(1);
    }

    @Test
    void health_reports_the_lag_of_a_paused_subscription_and_none_once_live() throws Exception {
        seed(4, 4);
        Recorder recorder = new Recorder();
        Subscription s = newManager().subscribe("lagging", recorder, options().build());
        eventually("four events", () -> recorder.size() >= 4 && s.state() == SubscriptionState.LIVE);
        s.pause();
        eventually("paused", () -> s.state() == SubscriptionState.PAUSED);
        seed(5, 1);
        Thread.sleep(20);

        SubscriptionHealth paused = s.health();

        assertThat(paused.state()).isEqualTo(SubscriptionState.PAUSED);
        assertThat(paused.lagEvents()).isEqualTo(paused.headPosition() - paused.position()).isPositive();
        assertThat(paused.lagTime()).isPositive();
        assertThat(paused.eventsProcessed()).isEqualTo(4);

        s.resume();
        eventually("caught up", () -> recorder.size() >= 9 && s.state() == SubscriptionState.LIVE);
        SubscriptionHealth live = s.health();
        assertThat(live.lagEvents()).isZero();
        assertThat(live.lagTime()).isZero();
        assertThat(live.eventsProcessed()).isEqualTo(9);
    }

    @Test
    void a_filtered_subscription_past_its_last_matching_event_reports_no_lag() {
        appendOne(new TckEvent.Created("mine"), TYPE);
        appendOne(new TckEvent.Created("not mine"), "Other");
        Recorder recorder = new Recorder();
        Subscription s = newManager().subscribe("items-only", recorder, options().aggregateTypes(TYPE).build());
        eventually("live", () -> recorder.size() >= 1 && s.state() == SubscriptionState.LIVE);

        SubscriptionHealth health = s.health();

        assertThat(health.headPosition()).isGreaterThan(health.position());
        assertThat(health.lagEvents()).isZero();
        assertThat(health.lagTime()).isZero();
    }

    // ---- rebuild ----

    /** A read model: the event ids it has applied, in order; reset empties it. */
    private static class ListProjection implements Projection {
        final List<UUID> applied = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger resets = new AtomicInteger();

        @Override
        public void handle(StoredEvent event) {
            applied.add(event.eventId());
        }

        @Override
        public void reset() {
            resets.incrementAndGet();
            applied.clear();
        }

        List<UUID> snapshot() {
            synchronized (applied) {
                return new ArrayList<>(applied);
            }
        }
    }

    @Test
    void a_rebuild_replays_everything_while_writers_keep_writing_and_ends_live_and_consistent() throws Exception {
        seed(500, 10);
        ListProjection projection = new ListProjection();
        SubscriptionManager m = newManager();
        Subscription s = m.subscribe("rebuilt", projection, options().batchSize(25).build());
        eventually("caught up", () -> projection.applied.size() >= 500);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> running = IntStream.range(0, 2).<Future<?>>mapToObj(w -> writers.submit(() -> seed(300, 3)))
                    .toList();

            m.rebuild("rebuilt");

            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }

        eventually("live with every event", () -> projection.applied.size() >= 1_100 && s.state() == SubscriptionState.LIVE);
        settle();
        assertThat(projection.resets).hasValue(1);
        assertThat(projection.snapshot()).isEqualTo(storedIds(ReadOptions.ALL));
    }

    @Test
    void a_failed_subscription_that_is_rebuilt_runs_again_and_replays_everything() throws Exception {
        seed(10, 5);
        UUID poison = poisonAt(storedPositions().get(4));
        AtomicBoolean failing = new AtomicBoolean(true);
        ListProjection projection = new ListProjection() {
            @Override
            public void handle(StoredEvent event) {
                if (failing.get() && event.eventId().equals(poison)) {
                    throw new IllegalStateException("cannot handle " + poison);
                }
                super.handle(event);
            }
        };
        SubscriptionManager m = newManager();
        Subscription s = m.subscribe("rebuilt-after-failure", projection,
                options().afterDeadLetter(AfterDeadLetter.STOP).build());
        eventually("failed", () -> s.state() == SubscriptionState.FAILED);

        failing.set(false);
        m.rebuild("rebuilt-after-failure");

        eventually("live with every event", () -> projection.applied.size() >= 10 && s.state() == SubscriptionState.LIVE);
        assertThat(projection.snapshot()).isEqualTo(storedIds(ReadOptions.ALL));
    }

    private List<Long> storedPositions() {
        try (Stream<StoredEvent> all = store.readAll()) {
            return all.map(StoredEvent::globalPosition).collect(Collectors.toList());
        }
    }

    private static String registryName(Class<? extends DomainEvent> type) {
        dev.eventsource.event.EventType annotation = type.getAnnotation(dev.eventsource.event.EventType.class);
        return annotation == null ? type.getSimpleName() : annotation.value();
    }
}
