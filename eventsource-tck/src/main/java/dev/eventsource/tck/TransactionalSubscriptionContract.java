package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.subscription.AfterDeadLetter;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.InMemoryCheckpointStore;
import dev.eventsource.subscription.RetryPolicy;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import dev.eventsource.subscription.SubscriptionState;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import dev.eventsource.subscription.TransactionalProjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link TransactionalProjection} gets from every backend with a
 * {@link TransactionalCheckpointStore}, through a real {@link SubscriptionManager}: its read-model
 * writes and its checkpoint commit together or not at all. A batch commits as one transaction; a
 * failing event is rolled back with everything it wrote and retried alone, then dead-lettered;
 * an event the process cannot decode is dead-lettered at once; a dead letter retried later commits
 * its writes without moving the checkpoint; a subscription stopped on a dead letter keeps its
 * checkpoint before the event and resolves the entry when it handles the event after a resume; a
 * rebuild empties the read model with the checkpoint and replays every event exactly once.
 *
 * <p>The read model is one table in the events' database, created and read through
 * {@link TransactionalCheckpointStore#saveInTransaction} with portable SQL; its primary key on the
 * event id makes a second delivery of a committed event fail loudly. A backend implements
 * {@link #newStore(EventRegistry)} (new, empty, not yet initialized), {@link #importer(EventStore)}
 * (to store events the suite's registry cannot decode), {@link #newCheckpointStore(EventStore)},
 * {@link #newDeadLetterStore(EventStore)} and {@link #table(EventStore, String)}.
 */
public abstract class TransactionalSubscriptionContract {

    private static final String TYPE = "Item";
    private static final String NAME = "read-model";

    /** A new, empty store using {@code registry}; not yet initialized. */
    protected abstract EventStore newStore(EventRegistry registry);

    /** The importer of {@code store}, through which the suite stores rows its registry cannot decode. */
    protected abstract EventImporter importer(EventStore store);

    /** An empty transactional checkpoint store in {@code store}'s database. */
    protected abstract TransactionalCheckpointStore newCheckpointStore(EventStore store);

    /** An empty dead-letter store for {@code store}. */
    protected abstract DeadLetterStore newDeadLetterStore(EventStore store);

    /**
     * How SQL on a connection of {@code store}'s checkpoint transactions names the read-model table
     * {@code table} (schema-qualified where the connection's default schema is not the store's).
     */
    protected abstract String table(EventStore store, String table);

    /** How long a test waits for something to happen before it fails; generous, as machines vary. */
    protected Duration timeout() {
        return Duration.ofMinutes(3);
    }

    private EventStore store;
    private TransactionalCheckpointStore checkpoints;
    private DeadLetterStore deadLetters;
    private String readModel;
    private final List<SubscriptionManager> managers = new ArrayList<>();

    @BeforeEach
    final void openFreshStore() throws Exception {
        EventRegistry registry = new EventRegistry();
        registry.register(TckEvent.class);
        store = newStore(registry);
        store.initialize();
        checkpoints = newCheckpointStore(store);
        deadLetters = newDeadLetterStore(store);
        readModel = table(store, "tck_read_model");
        checkpoints.saveInTransaction(null, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + readModel
                        + " (event_id VARCHAR(36) PRIMARY KEY, global_position BIGINT NOT NULL)");
            }
        });
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
        SubscriptionManager m = SubscriptionManager.builder(store).checkpoints(checkpoints).deadLetters(deadLetters)
                .pollInterval(Duration.ofMillis(100)).build();
        managers.add(m);
        return m;
    }

    private static SubscriptionOptions.Builder options() {
        return SubscriptionOptions.builder().batchSize(7)
                .retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(1), Duration.ofMillis(10)));
    }

    /** Appends {@code events} events in appends of five to fresh streams. */
    private void seed(int events) {
        for (int done = 0; done < events; done += 5) {
            List<DomainEvent> batch = new ArrayList<>();
            for (int i = 0; i < Math.min(5, events - done); i++) {
                batch.add(i == 0 ? new TckEvent.Created("item") : new TckEvent.Renamed("item", i));
            }
            store.appendEvents(UUID.randomUUID(), TYPE, batch, ExpectedVersion.ANY);
        }
    }

    private List<StoredEvent> stored() {
        try (Stream<StoredEvent> all = store.readAll(ReadOptions.ALL)) {
            return all.collect(Collectors.toList());
        }
    }

    private List<UUID> storedIds() {
        return stored().stream().map(StoredEvent::eventId).collect(Collectors.toList());
    }

    /** The event ids in the read model, in global order, read in a transaction of the checkpoint store. */
    private List<UUID> readModelIds() {
        List<UUID> ids = new ArrayList<>();
        try {
            checkpoints.saveInTransaction(null, c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT event_id FROM " + readModel + " ORDER BY global_position")) {
                    while (rs.next()) {
                        ids.add(UUID.fromString(rs.getString(1)));
                    }
                }
            });
        } catch (Exception e) {
            throw new AssertionError("cannot read the read model " + readModel, e);
        }
        return ids;
    }

    private Optional<Checkpoint> checkpoint() {
        return checkpoints.find(NAME);
    }

    private long checkpointPosition() {
        return checkpoint().map(Checkpoint::position).orElse(0L);
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

    /**
     * A read model of event ids that writes its row before it fails on a poisoned event, so that
     * only a rollback keeps a failed attempt out of the table.
     */
    private final class ReadModel implements TransactionalProjection {
        final Set<UUID> poison = ConcurrentHashMap.newKeySet();
        final AtomicInteger failuresLeft = new AtomicInteger(Integer.MAX_VALUE);
        final AtomicBoolean failing = new AtomicBoolean(true);
        final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @Override
        public void handle(StoredEvent event, Connection connection) throws Exception {
            attempts.computeIfAbsent(event.eventId(), k -> new AtomicInteger()).incrementAndGet();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + readModel
                    + " (event_id, global_position) VALUES (?, ?)")) {
                insert.setString(1, event.eventId().toString());
                insert.setLong(2, event.globalPosition());
                insert.executeUpdate();
            }
            if (failing.get() && poison.contains(event.eventId()) && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("cannot handle " + event.eventId());
            }
        }

        @Override
        public void reset(Connection connection) throws Exception {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("DELETE FROM " + readModel);
            }
        }
    }

    /** Subscribes a read model that fails on every attempt at the 12th of 20 events, and waits until it is past it. */
    private ReadModel deadLetteringTheTwelfthOfTwenty(SubscriptionManager manager) {
        seed(20);
        ReadModel model = new ReadModel();
        model.poison.add(storedIds().get(11));
        manager.subscribe(NAME, model, options().build());
        eventually("the checkpoint reached the head", () -> checkpointPosition() == store.globalPosition());
        return model;
    }

    // ---- tests ----

    @Test
    void every_event_reaches_the_read_model_once_and_the_checkpoint_counts_them() {
        seed(20);

        newManager().subscribe(NAME, new ReadModel(), options().build());

        eventually("the checkpoint reached the head", () -> checkpointPosition() == store.globalPosition());
        assertThat(readModelIds()).isEqualTo(storedIds());
        assertThat(checkpoint()).get().extracting(Checkpoint::eventsProcessed).isEqualTo(20L);
    }

    @Test
    void a_failed_event_is_rolled_back_with_its_writes_and_retried_alone() {
        seed(20);
        ReadModel model = new ReadModel();
        UUID poison = storedIds().get(11);
        model.poison.add(poison);
        model.failuresLeft.set(1);

        newManager().subscribe(NAME, model, options().build());

        eventually("the checkpoint reached the head", () -> checkpointPosition() == store.globalPosition());
        assertThat(readModelIds()).isEqualTo(storedIds());
        assertThat(model.attempts.get(poison)).as("once in its batch, once alone").hasValue(2);
        assertThat(checkpoint()).get().extracting(Checkpoint::eventsProcessed).isEqualTo(20L);
        assertThat(deadLetters.list(NAME)).isEmpty();
    }

    @Test
    void an_event_failing_every_attempt_is_dead_lettered_without_its_writes_and_the_others_commit() {
        ReadModel model = deadLetteringTheTwelfthOfTwenty(newManager());
        UUID poison = storedIds().get(11);

        List<UUID> expected = new ArrayList<>(storedIds());
        expected.remove(poison);
        assertThat(readModelIds()).isEqualTo(expected);
        assertThat(checkpoint()).get().extracting(Checkpoint::eventsProcessed).isEqualTo(19L);
        assertThat(deadLetters.list(NAME)).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(poison);
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.error()).contains("cannot handle");
        });
        assertThat(model.attempts.get(poison)).as("once in its batch, then three times alone").hasValue(4);
    }

    @Test
    void a_retried_dead_letter_commits_its_writes_and_leaves_the_checkpoint_where_it_is() {
        SubscriptionManager manager = newManager();
        ReadModel model = deadLetteringTheTwelfthOfTwenty(manager);
        Checkpoint before = checkpoint().orElseThrow();
        model.failing.set(false);

        boolean delivered = manager.retryDeadLetter(deadLetters.list(NAME).get(0).id());

        assertThat(delivered).isTrue();
        assertThat(readModelIds()).isEqualTo(storedIds());
        assertThat(checkpoint()).get().satisfies(c -> {
            assertThat(c.position()).isEqualTo(before.position());
            assertThat(c.eventsProcessed()).isEqualTo(before.eventsProcessed());
        });
        assertThat(deadLetters.list(NAME)).isEmpty();
    }

    @Test
    void a_subscription_stopped_on_a_dead_letter_keeps_its_checkpoint_before_it_and_resolves_it_after_a_resume() {
        seed(20);
        List<StoredEvent> stored = stored();
        ReadModel model = new ReadModel();
        model.poison.add(stored.get(11).eventId());
        Subscription s = newManager().subscribe(NAME, model, options().afterDeadLetter(AfterDeadLetter.STOP).build());

        eventually("failed", () -> s.state() == SubscriptionState.FAILED);
        assertThat(checkpointPosition()).isEqualTo(stored.get(10).globalPosition());
        assertThat(readModelIds()).isEqualTo(storedIds().subList(0, 11));

        model.failing.set(false);
        s.resume();

        eventually("the checkpoint reached the head", () -> checkpointPosition() == store.globalPosition());
        assertThat(readModelIds()).isEqualTo(storedIds());
        assertThat(deadLetters.list(NAME)).as("resolved when the subscription handled the event itself").isEmpty();
    }

    @Test
    void an_undecodable_event_is_dead_lettered_at_once_and_the_events_around_it_commit() {
        seed(10);
        List<UUID> decodable = new ArrayList<>(storedIds());
        Instant recorded = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID undecodable = UUID.randomUUID();
        importer(store).importRecorded(List.of(new RecordedEvent(undecodable, "tck.NeverRegistered", 1,
                UUID.randomUUID(), TYPE, 1, 0, recorded, recorded, null, "{}", "{}")));
        long undecodableAt = store.globalPosition();
        seed(10);
        // readAll decodes, so the events after the undecodable one are read from past it.
        try (Stream<StoredEvent> after = store.readAll(ReadOptions.builder().fromPosition(undecodableAt).build())) {
            after.map(StoredEvent::eventId).forEach(decodable::add);
        }

        newManager().subscribe(NAME, new ReadModel(), options().build());

        eventually("the checkpoint reached the head", () -> checkpointPosition() == store.globalPosition());
        assertThat(readModelIds()).isEqualTo(decodable);
        assertThat(checkpoint()).get().extracting(Checkpoint::eventsProcessed).isEqualTo(20L);
        assertThat(deadLetters.list(NAME)).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(undecodable);
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.error()).contains("tck.NeverRegistered");
        });
    }

    @Test
    void a_rebuild_empties_the_read_model_with_the_checkpoint_and_replays_every_event_once() throws Exception {
        seed(30);
        SubscriptionManager manager = newManager();
        manager.subscribe(NAME, new ReadModel(), options().build());
        eventually("caught up", () -> checkpointPosition() == store.globalPosition());

        manager.rebuild(NAME);
        seed(10);

        eventually("rebuilt and caught up", () -> checkpointPosition() == store.globalPosition()
                && checkpoint().map(Checkpoint::eventsProcessed).orElse(0L) == 40L);
        assertThat(readModelIds()).isEqualTo(storedIds());
    }

    @Test
    void a_manager_without_a_transactional_checkpoint_store_refuses_the_projection() {
        SubscriptionManager manager = SubscriptionManager.builder(store).checkpoints(new InMemoryCheckpointStore())
                .deadLetters(deadLetters).build();
        managers.add(manager);

        assertThatThrownBy(() -> manager.subscribe(NAME, new ReadModel(), SubscriptionOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TransactionalCheckpointStore");
    }
}
