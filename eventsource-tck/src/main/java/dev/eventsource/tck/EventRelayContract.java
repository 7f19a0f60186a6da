package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.relay.EventRelay;
import dev.eventsource.relay.RelayState;
import dev.eventsource.relay.RelayStatus;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointNames;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.tenant.TenantId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An {@link EventRelay} on a backend: the log is the outbox. Every committed event is published,
 * in log order, and the checkpoint moves only after the publisher acknowledged; an append that
 * failed (an optimistic-lock conflict, an invalid event in its batch) is never published; a broker
 * that is down makes the relay retry without skipping or reordering, with its checkpoint held; a
 * restarted relay goes on from its checkpoint; of two relays of one name on two instances only one
 * publishes, and the other takes over when the first stops; a former holder that lost its lock
 * while it stood still is fenced: it neither moves the checkpoint back nor publishes on.
 */
public abstract class EventRelayContract extends SharedDatabaseFixture {

    private EventRelay relay(String name, EventStoreBackend backend, RecordingPublisher publisher) {
        return closeLater(EventRelay.builder(name, backend, publisher)
                .batchSize(10)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .pollInterval(Duration.ofMillis(20))
                .lockPollInterval(Duration.ofMillis(20))
                .build());
    }

    private static List<UUID> appendMany(EventStore store, int aggregates, int eventsEach) {
        List<UUID> ids = new ArrayList<>();
        for (int a = 0; a < aggregates; a++) {
            ids.add(UUID.randomUUID());
        }
        for (int v = 1; v <= eventsEach; v++) {
            for (UUID id : ids) {
                DomainEvent e = v == 1 ? new TckEvent.Created("c" + id) : new TckEvent.Renamed("r", v);
                store.appendEvents(id, "Item", List.of(e), ExpectedVersion.exactly(v - 1));
            }
        }
        return ids;
    }

    private static List<StoredEvent> log(EventStoreBackend backend) {
        try (Stream<StoredEvent> all = backend.store().readAll(ReadOptions.ALL)) {
            return all.toList();
        }
    }

    private static List<UUID> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::eventId).toList();
    }

    /** First occurrences, in arrival order. */
    private static List<UUID> distinct(List<StoredEvent> events) {
        Map<UUID, Boolean> seen = new LinkedHashMap<>();
        events.forEach(e -> seen.putIfAbsent(e.eventId(), true));
        return new ArrayList<>(seen.keySet());
    }

    @Test
    void every_committed_event_is_published_once_in_log_order_and_the_checkpoint_follows() throws Exception {
        EventStoreBackend backend = openInstance();
        appendMany(backend.store(), 5, 7);
        RecordingPublisher publisher = new RecordingPublisher();
        EventRelay relay = relay("all", backend, publisher).start();

        await("35 events published", () -> publisher.acknowledgedEvents().size() >= 35);
        await("the relay to be live", () -> relay.status().state() == RelayState.LIVE);

        assertThat(ids(publisher.acknowledgedEvents())).isEqualTo(ids(log(backend)));
        assertThat(publisher.acknowledged()).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 10));
        assertThat(publisher.acknowledged().size()).isLessThan(35);
        assertThat(backend.checkpoints().find("relay:all")).map(Checkpoint::position)
                .contains(backend.store().globalPosition());
        RelayStatus status = relay.status();
        assertThat(status.lastPublishedPosition()).isEqualTo(backend.store().globalPosition());
        assertThat(status.lagEvents()).isZero();
        assertThat(status.publishedEvents()).isEqualTo(35);
        assertThat(status.failures()).isZero();
        assertThat(status.holdsLock()).isTrue();
        assertThat(status.healthy()).isTrue();
    }

    @Test
    void events_appended_while_live_are_published_in_order() throws Exception {
        EventStoreBackend backend = openInstance();
        RecordingPublisher publisher = new RecordingPublisher();
        EventRelay relay = relay("live", backend, publisher).start();
        await("the relay to be live", () -> relay.status().state() == RelayState.LIVE);

        appendMany(backend.store(), 3, 4);

        await("12 events published", () -> publisher.acknowledgedEvents().size() >= 12);
        assertThat(ids(publisher.acknowledgedEvents())).isEqualTo(ids(log(backend)));
    }

    @Test
    void an_append_that_failed_is_never_published_and_the_committed_ones_always_are() throws Exception {
        EventStoreBackend backend = openInstance();
        RecordingPublisher publisher = new RecordingPublisher();
        relay("outbox", backend, publisher).start();
        EventStore store = backend.store();
        UUID order = UUID.randomUUID();
        store.appendEvents(order, "Item", List.of(new TckEvent.Created("committed-1")), ExpectedVersion.NO_STREAM);

        assertThatThrownBy(() -> store.appendEvents(order, "Item", List.of(new TckEvent.Renamed("conflict", 2)),
                ExpectedVersion.NO_STREAM)).isInstanceOf(OptimisticLockException.class);
        UUID invalid = UUID.randomUUID();
        assertThatThrownBy(() -> store.append(invalid, "Item", List.of(NewEvent.of(new TckEvent.Created("valid-half")),
                NewEvent.of(new TckEvent.Created("lone surrogate \uD800"))),
                ExpectedVersion.NO_STREAM)).isInstanceOf(RuntimeException.class);
        store.appendEvents(order, "Item", List.of(new TckEvent.Renamed("committed-2", 2)), ExpectedVersion.exactly(1));

        await("both committed events published", () -> publisher.acknowledgedEvents().size() >= 2);
        assertThat(publisher.received()).extracting(StoredEvent::event)
                .containsExactly(new TckEvent.Created("committed-1"), new TckEvent.Renamed("committed-2", 2));
        assertThat(publisher.received()).extracting(StoredEvent::aggregateId).doesNotContain(invalid);
    }

    @Test
    void a_broker_that_is_down_is_retried_without_loss_or_reordering_and_the_checkpoint_holds() throws Exception {
        EventStoreBackend backend = openInstance();
        RecordingPublisher publisher = new RecordingPublisher().down();
        EventRelay relay = relay("retrying", backend, publisher).start();
        appendMany(backend.store(), 4, 6);

        await("several failed attempts", () -> publisher.failedCalls() >= 5);
        RelayStatus retrying = relay.status();
        assertThat(retrying.state()).isEqualTo(RelayState.RETRYING);
        assertThat(retrying.consecutiveFailures()).isPositive();
        assertThat(retrying.lastError()).contains("broker unavailable").contains("retrying");
        assertThat(retrying.healthy()).isFalse();
        assertThat(retrying.lastPublishedPosition()).isZero();
        assertThat(retrying.lagEvents()).isEqualTo(24);
        assertThat(publisher.acknowledged()).isEmpty();
        assertThat(backend.checkpoints().find("relay:retrying").map(Checkpoint::position).orElse(0L)).isZero();

        publisher.up();

        await("every event acknowledged", () -> distinct(publisher.acknowledgedEvents()).size() == 24);
        await("the relay to be live", () -> relay.status().state() == RelayState.LIVE);
        assertThat(ids(publisher.acknowledgedEvents())).isEqualTo(ids(log(backend)));
        assertThat(distinct(publisher.received())).as("what reached the broker, first sightings").isEqualTo(ids(log(backend)));
        Map<UUID, Long> lastVersion = new HashMap<>();
        for (StoredEvent e : publisher.acknowledgedEvents()) {
            Long before = lastVersion.put(e.aggregateId(), e.version());
            assertThat(before == null ? 0 : before).as("order of %s", e.aggregateId()).isLessThan(e.version());
        }
        RelayStatus live = relay.status();
        assertThat(live.consecutiveFailures()).isZero();
        assertThat(live.failures()).isGreaterThanOrEqualTo(5);
        assertThat(live.lagEvents()).isZero();
    }

    @Test
    void a_restarted_relay_goes_on_from_its_checkpoint() throws Exception {
        EventStoreBackend backend = openInstance();
        appendMany(backend.store(), 2, 5);
        RecordingPublisher first = new RecordingPublisher();
        EventRelay relay = relay("restarted", backend, first).start();
        await("10 events published", () -> first.acknowledgedEvents().size() >= 10);
        assertThat(relay.shutdown(Duration.ofSeconds(30))).isTrue();
        assertThat(relay.status().state()).isEqualTo(RelayState.STOPPED);
        long before = backend.store().globalPosition();
        appendMany(backend.store(), 2, 3);

        RecordingPublisher second = new RecordingPublisher();
        relay("restarted", backend, second).start();

        await("the 6 new events published", () -> second.acknowledgedEvents().size() >= 6);
        assertThat(second.acknowledgedEvents()).extracting(StoredEvent::globalPosition).allMatch(p -> p > before);
        assertThat(ids(first.acknowledgedEvents()).size() + ids(second.acknowledgedEvents()).size()).isEqualTo(16);
    }

    @Test
    void a_paused_relay_publishes_nothing_until_resumed() throws Exception {
        EventStoreBackend backend = openInstance();
        RecordingPublisher publisher = new RecordingPublisher();
        EventRelay relay = relay("paused", backend, publisher).start();
        await("the relay to be live", () -> relay.status().state() == RelayState.LIVE);

        relay.pause();
        await("the relay to be paused", () -> relay.status().state() == RelayState.PAUSED);
        appendMany(backend.store(), 1, 3);

        assertThat(relay.status().lagEvents()).isEqualTo(3);
        relay.resume();
        await("3 events published", () -> publisher.acknowledgedEvents().size() >= 3);
        assertThat(ids(publisher.acknowledgedEvents())).isEqualTo(ids(log(backend)));
    }

    @Test
    void a_relay_can_be_limited_to_aggregate_and_event_types() throws Exception {
        EventStoreBackend backend = openInstance();
        UUID order = UUID.randomUUID();
        backend.store().appendEvents(UUID.randomUUID(), "Other", List.of(new TckEvent.Created("skip")), ExpectedVersion.NO_STREAM);
        backend.store().appendEvents(order, "Order", List.of(new TckEvent.Created("o"), new TckEvent.Renamed("o", 2)),
                ExpectedVersion.NO_STREAM);
        RecordingPublisher publisher = new RecordingPublisher();
        EventRelay relay = closeLater(EventRelay.builder("filtered", backend, publisher).aggregateTypes("Order")
                .eventTypes("Renamed").pollInterval(Duration.ofMillis(20)).build().start());
        backend.store().appendEvents(order, "Order", List.of(new TckEvent.Renamed("p", 3)), ExpectedVersion.exactly(2));

        await("two Renamed events of Order published", () -> publisher.acknowledgedEvents().size() >= 2);
        await("the relay to be live", () -> relay.status().state() == RelayState.LIVE);
        assertThat(publisher.acknowledgedEvents()).extracting(StoredEvent::event)
                .containsExactly(new TckEvent.Renamed("o", 2), new TckEvent.Renamed("p", 3));
        assertThat(relay.status().lagEvents()).isZero();
    }

    @Test
    void a_relay_of_one_tenant_publishes_only_that_tenants_events_under_a_checkpoint_of_its_own() throws Exception {
        EventStoreBackend backend = openInstance();
        EventMetadata acme = EventMetadata.EMPTY.withTenantId("acme");
        EventMetadata globex = EventMetadata.EMPTY.withTenantId("globex");
        for (int i = 0; i < 6; i++) {
            EventMetadata tenant = i % 3 == 0 ? acme : i % 3 == 1 ? globex : EventMetadata.EMPTY;
            backend.store().appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("t" + i)),
                    ExpectedVersion.NO_STREAM, tenant);
        }
        RecordingPublisher acmePublisher = new RecordingPublisher();
        RecordingPublisher globexPublisher = new RecordingPublisher();
        EventRelay acmeRelay = closeLater(EventRelay.builder("billing", backend, acmePublisher).tenant(TenantId.of("acme"))
                .batchSize(10).pollInterval(Duration.ofMillis(20)).lockPollInterval(Duration.ofMillis(20)).build().start());
        EventRelay globexRelay = closeLater(EventRelay.builder("billing", backend, globexPublisher).tenant(TenantId.of("globex"))
                .batchSize(10).pollInterval(Duration.ofMillis(20)).lockPollInterval(Duration.ofMillis(20)).build().start());
        backend.store().appendEvents(UUID.randomUUID(), "Item", List.of(new TckEvent.Created("live")), ExpectedVersion.NO_STREAM, acme);

        await("acme's 3 events published", () -> acmePublisher.acknowledgedEvents().size() >= 3);
        await("globex's 2 events published", () -> globexPublisher.acknowledgedEvents().size() >= 2);
        await("both relays live", () -> acmeRelay.status().state() == RelayState.LIVE
                && globexRelay.status().state() == RelayState.LIVE);
        List<StoredEvent> all = log(backend);
        assertThat(ids(acmePublisher.acknowledgedEvents())).as("acme's events, in log order, and nothing else")
                .isEqualTo(ids(all.stream().filter(e -> "acme".equals(e.metadata().tenantId())).toList()));
        assertThat(ids(globexPublisher.acknowledgedEvents()))
                .isEqualTo(ids(all.stream().filter(e -> "globex".equals(e.metadata().tenantId())).toList()));
        assertThat(backend.checkpoints().find(CheckpointNames.of("relay:billing", TenantId.of("acme"))))
                .map(Checkpoint::position).contains(backend.store().globalPosition());
        assertThat(backend.checkpoints().find(CheckpointNames.of("relay:billing", TenantId.of("globex")))).isPresent();
        assertThat(backend.checkpoints().find("relay:billing")).as("no checkpoint shared with an all-tenant relay").isEmpty();
        assertThat(acmeRelay.status().lagEvents()).isZero();
    }

    @Test
    void of_two_relays_of_one_name_on_two_instances_only_one_publishes_and_the_other_takes_over() throws Exception {
        EventStoreBackend one = openInstance();
        EventStoreBackend two = openInstance();
        RecordingPublisher firstPublisher = new RecordingPublisher();
        RecordingPublisher secondPublisher = new RecordingPublisher();
        EventRelay first = relay("single", one, firstPublisher).start();
        await("the first relay to be live", () -> first.status().state() == RelayState.LIVE);
        EventRelay second = relay("single", two, secondPublisher).start();
        await("the second relay to stand by", () -> second.status().state() == RelayState.STANDBY);

        appendMany(one.store(), 3, 4);
        await("12 events published by the first", () -> firstPublisher.acknowledgedEvents().size() >= 12);
        assertThat(second.status().state()).isEqualTo(RelayState.STANDBY);
        assertThat(second.status().holdsLock()).isFalse();
        assertThat(secondPublisher.received()).isEmpty();

        assertThat(first.shutdown(Duration.ofSeconds(30))).isTrue();
        await("the second relay to take over", () -> second.status().state() == RelayState.LIVE);
        appendMany(two.store(), 2, 2);

        await("the 4 new events published by the second", () -> secondPublisher.acknowledgedEvents().size() >= 4);
        List<StoredEvent> union = new ArrayList<>(firstPublisher.acknowledgedEvents());
        union.addAll(secondPublisher.acknowledgedEvents());
        assertThat(distinct(union)).isEqualTo(ids(log(one)));
        assertThat(secondPublisher.acknowledgedEvents()).as("the second goes on from the first's checkpoint")
                .hasSize(4);
    }

    @Test
    void a_standby_takes_over_when_the_active_instance_ends() throws Exception {
        EventStoreBackend dying = openInstance();
        EventStoreBackend surviving = openInstance();
        RecordingPublisher firstPublisher = new RecordingPublisher();
        RecordingPublisher secondPublisher = new RecordingPublisher();
        EventRelay first = relay("failover", dying, firstPublisher).start();
        await("the first relay to be live", () -> first.status().state() == RelayState.LIVE);
        EventRelay second = relay("failover", surviving, secondPublisher).start();
        await("the second relay to stand by", () -> second.status().state() == RelayState.STANDBY);
        appendMany(surviving.store(), 2, 2);
        await("4 events published by the first", () -> firstPublisher.acknowledgedEvents().size() >= 4);

        dying.close();
        await("the second relay to take over", () -> second.status().state() == RelayState.LIVE);
        appendMany(surviving.store(), 1, 2);

        await("the new events published by the second", () -> distinct(union(firstPublisher, secondPublisher)).size() == 6);
        assertThat(distinct(union(firstPublisher, secondPublisher))).isEqualTo(ids(log(surviving)));
        assertThat(secondPublisher.acknowledgedEvents()).isNotEmpty();
    }

    /**
     * The paused leader: it checked its lock, then stood still (a GC pause, a network stall) long
     * enough to lose it unseen, and a standby took over and moved the checkpoint on. When it wakes
     * up mid-save, its save is refused (fenced): the checkpoint does not move back, and it publishes
     * nothing more. Its lock is lost by closing the instance whose locks it holds while it is held
     * up inside the checkpoint save, after its last lock check.
     */
    @Test
    void a_paused_leader_that_lost_its_lock_neither_moves_the_checkpoint_back_nor_publishes_on() throws Exception {
        EventStoreBackend one = openInstance();
        EventStoreBackend two = openInstance();
        EventStoreBackend session = openInstance();   // whose locks the paused leader holds
        appendMany(one.store(), 5, 10);
        long head = one.store().globalPosition();
        PausingCheckpoints paused = new PausingCheckpoints(one.checkpoints(), 20);
        RecordingPublisher leaderPublisher = new RecordingPublisher();
        EventRelay leader = closeLater(EventRelay.builder("fenced", one.log(), paused, leaderPublisher)
                .appendNotifier(one.newAppendNotifier()).locks(session.locks())
                .batchSize(10).maxBatchesInFlight(1).pollInterval(Duration.ofMillis(20))
                .lockPollInterval(Duration.ofMillis(20)).build()).start();
        paused.awaitPaused();

        session.close();   // the leader's session ends while it stands still: its lock is free
        RecordingPublisher successorPublisher = new RecordingPublisher();
        EventRelay successor = relay("fenced", two, successorPublisher).start();
        await("the successor to publish the whole log", () -> two.checkpoints().find("relay:fenced")
                .map(Checkpoint::position).orElse(0L) == head && successor.status().state() == RelayState.LIVE);
        int publishedByLeader = leaderPublisher.received().size();

        paused.resume();
        await("the former leader to notice it was fenced", () -> leader.status().lockLosses() == 1);

        assertThat(two.checkpoints().find("relay:fenced").orElseThrow().position())
                .as("the checkpoint does not move back to the paused leader's position").isEqualTo(head);
        assertThat(paused.refused()).as("the paused leader's save was refused").isEqualTo(1);
        assertThat(leader.status().state()).isEqualTo(RelayState.STANDBY);
        assertThat(leader.status().holdsLock()).isFalse();
        assertThat(leader.status().lastError()).contains("fenced");
        appendMany(two.store(), 2, 2);
        await("the successor to publish the new events", () -> successor.status().lastPublishedPosition() == head + 4);
        assertThat(leaderPublisher.received()).as("the former leader publishes nothing after it woke up")
                .hasSize(publishedByLeader);
        List<StoredEvent> union = new ArrayList<>(leaderPublisher.acknowledgedEvents());
        union.addAll(successorPublisher.acknowledgedEvents());
        assertThat(distinct(union)).isEqualTo(ids(log(two)));
    }

    @Test
    void bad_configuration_is_refused_with_the_fix() {
        EventStoreBackend backend = openInstance();
        RecordingPublisher publisher = new RecordingPublisher();

        assertThatThrownBy(() -> EventRelay.builder(" ", backend, publisher)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-blank");
        assertThatThrownBy(() -> EventRelay.builder("r", backend, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("publisher");
        EventRelay.Builder builder = EventRelay.builder("r", backend, publisher);
        assertThatThrownBy(() -> builder.batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize must be between 1 and 10000");
        assertThatThrownBy(() -> builder.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
        assertThatThrownBy(() -> builder.lockPollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lockPollInterval");
        assertThatThrownBy(() -> builder.eventTypes("Created", " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventTypes");
        assertThatThrownBy(() -> EventRelay.builder("r#tenant=acme", backend, publisher))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Builder.tenant(...)");
        assertThatThrownBy(() -> builder.tenant(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("tenant");
        EventRelay relay = closeLater(builder.build());
        relay.start();
        assertThatThrownBy(relay::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("started already");
    }

    /**
     * A backend's checkpoints whose first save at or past {@code pauseAt} stands still until
     * {@link #resume()}: the paused leader. Counts the saves the store refused.
     */
    private static final class PausingCheckpoints implements CheckpointStore {
        private final CheckpointStore delegate;
        private final long pauseAt;
        private final CountDownLatch paused = new CountDownLatch(1);
        private final CountDownLatch resumed = new CountDownLatch(1);
        private final AtomicInteger refused = new AtomicInteger();

        PausingCheckpoints(CheckpointStore delegate, long pauseAt) {
            this.delegate = delegate;
            this.pauseAt = pauseAt;
        }

        void awaitPaused() throws InterruptedException {
            if (!paused.await(1, TimeUnit.MINUTES)) {
                throw new AssertionError("the leader never saved a checkpoint at or past " + pauseAt);
            }
        }

        void resume() {
            resumed.countDown();
        }

        int refused() {
            return refused.get();
        }

        @Override
        public boolean saveIfUnchanged(Checkpoint expected, Checkpoint next) {
            if (next.position() >= pauseAt && paused.getCount() > 0) {
                paused.countDown();
                try {
                    if (!resumed.await(1, TimeUnit.MINUTES)) {
                        throw new AssertionError("the test never resumed the paused leader");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while paused", e);
                }
            }
            boolean saved = delegate.saveIfUnchanged(expected, next);
            if (!saved) {
                refused.incrementAndGet();
            }
            return saved;
        }

        @Override
        public Optional<Checkpoint> find(String subscription) {
            return delegate.find(subscription);
        }

        @Override
        public void save(Checkpoint checkpoint) {
            delegate.save(checkpoint);
        }

        @Override
        public boolean reset(String subscription) {
            return delegate.reset(subscription);
        }

        @Override
        public List<Checkpoint> findAll() {
            return delegate.findAll();
        }
    }

    private static List<StoredEvent> union(RecordingPublisher a, RecordingPublisher b) {
        List<StoredEvent> all = new ArrayList<>(a.acknowledgedEvents());
        all.addAll(b.acknowledgedEvents());
        return all;
    }
}
