package dev.eventsource.tck;

import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.inbox.Inbox;
import dev.eventsource.inbox.InboxDialect;
import dev.eventsource.inbox.InboxHandler;
import dev.eventsource.inbox.InboxStats;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.RetryPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of the {@link Inbox} on one database: a redelivered event has its effects once, a
 * failing handler leaves neither its effects nor the event's record, many threads delivering the
 * same events apply each once, a process killed mid-stream and a full redelivery in a new process
 * leave every effect exactly once, the table is created once by concurrent openers, pruning
 * forgets what it says, and bad input is refused before anything is written.
 *
 * <p>The read model of these tests is a table {@code effects(event_id, amount)} with no unique
 * key, and a running total in {@code balance}: applying an event twice shows as a second row.
 *
 * <p>A database implements {@link #newDatabase()} (a new, empty database, or schema, per test),
 * {@link #jdbcUrl()} (the same database as a URL with credentials, for a child JVM that has the
 * test class path) and {@link #expectedDialect()}.
 */
public abstract class InboxContract {

    /** A new, empty database for one test; the contract creates its read model in it. */
    protected abstract DataSource newDatabase() throws Exception;

    /** A {@code jdbc:} URL, with credentials, of the database {@link #newDatabase()} last returned. */
    protected abstract String jdbcUrl();

    /** The dialect the inbox must detect on that database. */
    protected abstract InboxDialect expectedDialect();

    /** The payload of these tests: an amount added to the balance. */
    public record Charged(long amount) implements DomainEvent {
    }

    private DataSource database;

    @BeforeEach
    final void createReadModel() throws Exception {
        database = newDatabase();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            createReadModel(s);
        }
    }

    /** The read model's tables: applying an event twice shows as a second row in {@code effects}. */
    static void createReadModel(Statement s) throws SQLException {
        s.execute("CREATE TABLE effects (event_id VARCHAR(36) NOT NULL, amount BIGINT NOT NULL)");
        s.execute("CREATE TABLE balance (id INTEGER PRIMARY KEY, total BIGINT NOT NULL)");
        s.execute("INSERT INTO balance (id, total) VALUES (1, 0)");
    }

    /** The effects of one event: a row, and the running total. */
    public static final InboxHandler<DomainEvent> CHARGE = (event, envelope, c) -> {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO effects (event_id, amount) VALUES (?, ?)");
             PreparedStatement add = c.prepareStatement("UPDATE balance SET total = total + ? WHERE id = 1")) {
            long amount = ((Charged) event).amount();
            insert.setString(1, envelope.eventId().toString());
            insert.setLong(2, amount);
            insert.executeUpdate();
            add.setLong(1, amount);
            add.executeUpdate();
        }
    };

    /** Event {@code n} of a stream: a fixed id, so that every process builds the same stream. */
    public static StoredEvent event(int n) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plus(n, ChronoUnit.MICROS);
        return new StoredEvent(UUID.nameUUIDFromBytes(("inbox-contract-event-" + n).getBytes()), "Charged",
                UUID.nameUUIDFromBytes(("account-" + (n % 7)).getBytes()), "Account", n / 7 + 1, n + 1L, at, at,
                EventMetadata.EMPTY, new Charged(n + 1L));
    }

    private Inbox open() {
        return Inbox.open(database);
    }

    @Test
    void detects_the_database_and_creates_its_table_with_the_default_prefix() throws Exception {
        Inbox inbox = open();

        assertThat(inbox.dialect()).isEqualTo(expectedDialect());
        assertThat(inbox.table()).isEqualTo("eventsource_inbox");
        assertThat(count("SELECT count(*) FROM eventsource_inbox")).isZero();
        assertThat(count("SELECT count(*) FROM eventsource_inbox_schema_version")).isEqualTo(1);
    }

    @Test
    void a_redelivered_event_has_its_effects_once() throws Exception {
        Inbox inbox = open();
        EventHandler<DomainEvent> handler = inbox.exactlyOnce("billing", CHARGE);
        StoredEvent e = event(1);

        handler.handle(e.event(), e);
        handler.handle(e.event(), e);
        handler.handle(e.event(), e);

        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(1);
        assertThat(count("SELECT total FROM balance")).isEqualTo(2);
        assertThat(inbox.isProcessed("billing", e.eventId())).isTrue();
        assertThat(inbox.stats()).isEqualTo(new InboxStats(1, 2, 0));
    }

    @Test
    void process_once_says_whether_it_applied_the_event() throws Exception {
        Inbox inbox = open();

        assertThat(inbox.processOnce("billing", event(1), CHARGE)).isTrue();
        assertThat(inbox.processOnce("billing", event(1), CHARGE)).isFalse();
        assertThat(inbox.processOnce("billing", event(2), CHARGE)).isTrue();
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(2);
    }

    @Test
    void each_group_applies_an_event_once_for_itself() throws Exception {
        Inbox inbox = open();

        inbox.processOnce("billing", event(1), CHARGE);
        inbox.processOnce("shipping", event(1), CHARGE);
        inbox.processOnce("shipping", event(1), CHARGE);

        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(2);
        assertThat(inbox.isProcessed("billing", event(1).eventId())).isTrue();
        assertThat(inbox.isProcessed("shipping", event(1).eventId())).isTrue();
        assertThat(inbox.isProcessed("audit", event(1).eventId())).isFalse();
    }

    @Test
    void a_throwing_handler_leaves_neither_its_effects_nor_the_event_id_and_its_exception_comes_out_as_it_was()
            throws Exception {
        Inbox inbox = open();
        IllegalStateException boom = new IllegalStateException("boom");
        EventHandler<DomainEvent> failing = inbox.exactlyOnce("billing", (event, envelope, c) -> {
            CHARGE.handle(event, envelope, c);
            throw boom;
        });

        assertThatThrownBy(() -> failing.handle(event(1).event(), event(1))).isSameAs(boom);

        assertThat(count("SELECT count(*) FROM effects")).isZero();
        assertThat(count("SELECT total FROM balance")).isZero();
        assertThat(inbox.isProcessed("billing", event(1).eventId())).isFalse();
        assertThat(inbox.stats()).isEqualTo(new InboxStats(0, 0, 1));

        assertThat(inbox.processOnce("billing", event(1), CHARGE)).as("the redelivery applies it").isTrue();
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(1);
    }

    @Test
    void a_failing_statement_of_the_handler_rolls_back_and_its_sql_exception_comes_out_as_it_was() throws Exception {
        Inbox inbox = open();

        assertThatThrownBy(() -> inbox.processOnce("billing", event(1), (event, envelope, c) -> {
            CHARGE.handle(event, envelope, c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO no_such_table (x) VALUES (1)");
            }
        })).isInstanceOf(SQLException.class);

        assertThat(count("SELECT count(*) FROM effects")).isZero();
        assertThat(inbox.isProcessed("billing", event(1).eventId())).isFalse();
        assertThat(inbox.processOnce("billing", event(1), CHARGE)).isTrue();
    }

    @Test
    void many_threads_delivering_the_same_events_apply_each_exactly_once() throws Exception {
        Inbox inbox = open();
        EventHandler<DomainEvent> handler = inbox.exactlyOnce("billing", CHARGE);
        int threads = 8;
        int deliveriesPerThread = 2000;
        int distinct = 500;
        List<StoredEvent> events = new ArrayList<>();
        for (int n = 0; n < distinct; n++) {
            events.add(event(n));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < deliveriesPerThread; i++) {
                        // Each thread walks the events in another order, so threads meet on every event.
                        StoredEvent e = events.get((i * (2 * thread + 1) + thread * 61) % distinct);
                        handler.handle(e.event(), e);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        long expectedTotal = (long) distinct * (distinct + 1) / 2;
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(distinct);
        assertThat(count("SELECT count(DISTINCT event_id) FROM effects")).isEqualTo(distinct);
        assertThat(count("SELECT total FROM balance")).isEqualTo(expectedTotal);
        assertThat(count("SELECT count(*) FROM eventsource_inbox")).isEqualTo(distinct);
        assertThat(inbox.stats()).isEqualTo(new InboxStats(distinct, (long) threads * deliveriesPerThread - distinct, 0));
    }

    @Test
    void wired_to_a_bus_a_group_applies_a_republished_list_once_and_a_retried_failure_once() throws Exception {
        Inbox inbox = open();
        AtomicInteger calls = new AtomicInteger();
        try (InMemoryEventBus bus = new InMemoryEventBus()) {
            bus.subscribe(ConsumerGroup.named("billing").retrying(RetryPolicy.exponential(3, Duration.ofMillis(1),
                    Duration.ofMillis(1))), inbox.exactlyOnce("billing", (event, envelope, c) -> {
                CHARGE.handle(event, envelope, c);
                if (calls.incrementAndGet() == 7) {
                    throw new IllegalStateException("the 7th call fails after writing; the bus retries it");
                }
            }));
            List<StoredEvent> events = new ArrayList<>();
            for (int n = 0; n < 50; n++) {
                events.add(event(n));
            }

            bus.publish(events);
            bus.publish(events);   // what a publisher does when a publish failed half-way: the whole list again

            assertThat(bus.stats().deadLettered()).isZero();
        }
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(50);
        assertThat(count("SELECT count(DISTINCT event_id) FROM effects")).isEqualTo(50);
        assertThat(inbox.stats()).isEqualTo(new InboxStats(50, 50, 1));
    }

    @Test
    void a_process_killed_mid_stream_and_a_full_redelivery_in_a_new_process_leave_every_effect_exactly_once(
            @TempDir Path dir) throws Exception {
        int events = 1000;
        open();   // the table exists before the child starts, so the kill cannot land in the bootstrap
        Process first = child(dir, "first", events, 2);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (count("SELECT count(*) FROM effects") < 100 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(first.isAlive()).as("the first process is still applying (its stderr: %s)",
                    dir.resolve("first.stderr.txt")).isTrue();
        } finally {
            first.destroyForcibly();   // kill -9
            first.waitFor(60, TimeUnit.SECONDS);
        }
        long afterKill = count("SELECT count(*) FROM effects");
        assertThat(afterKill).as("killed mid-stream").isBetween(100L, events - 1L);
        assertThat(count("SELECT count(*) FROM eventsource_inbox")).as("ids recorded with their effects").isEqualTo(afterKill);

        Process second = child(dir, "second", events, 0);
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).as("the redelivery finishes").isTrue();
        assertThat(second.exitValue()).as("exit code; stderr in %s: %s", dir.resolve("second.stderr.txt"),
                Files.readString(dir.resolve("second.stderr.txt"))).isZero();

        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(events);
        assertThat(count("SELECT count(DISTINCT event_id) FROM effects")).isEqualTo(events);
        assertThat(count("SELECT total FROM balance")).isEqualTo((long) events * (events + 1) / 2);
        assertThat(count("SELECT count(*) FROM eventsource_inbox")).isEqualTo(events);
    }

    private Process child(Path dir, String name, int events, int pauseMillis) throws Exception {
        return ChildJvm.start(InboxProcess.class, dir, name, List.of(jdbcUrl(), Integer.toString(events),
                Integer.toString(pauseMillis)));
    }

    @Test
    void inboxes_opened_at_once_create_the_table_once() throws Exception {
        int openers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        List<Future<Inbox>> opened = new ArrayList<>();
        try {
            for (int i = 0; i < openers; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    return Inbox.open(database);
                }));
            }
            start.countDown();
            for (Future<Inbox> f : opened) {
                assertThat(f.get(2, TimeUnit.MINUTES).table()).isEqualTo("eventsource_inbox");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM eventsource_inbox_schema_version")).isEqualTo(1);
    }

    @Test
    void a_second_inbox_on_the_database_knows_what_the_first_processed_and_a_prefix_keeps_a_table_apart()
            throws Exception {
        open().processOnce("billing", event(1), CHARGE);

        assertThat(open().processOnce("billing", event(1), CHARGE)).isFalse();
        Inbox other = Inbox.builder(database).tablePrefix("other_").build();
        assertThat(other.table()).isEqualTo("other_inbox");
        assertThat(other.isProcessed("billing", event(1).eventId())).isFalse();
        assertThat(count("SELECT count(*) FROM other_inbox_schema_version")).isEqualTo(1);
    }

    @Test
    void an_inbox_opened_from_the_url_shares_the_table() throws Exception {
        open().processOnce("billing", event(1), CHARGE);

        Inbox byUrl = Inbox.open(jdbcUrl());

        assertThat(byUrl.dialect()).isEqualTo(expectedDialect());
        assertThat(byUrl.processOnce("billing", event(1), CHARGE)).isFalse();
        assertThat(byUrl.processOnce("billing", event(2), CHARGE)).isTrue();
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(2);
    }

    @Test
    void pruning_forgets_the_ids_older_than_the_horizon_so_their_redelivery_applies_again() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-03-01T00:00:00Z"));
        Inbox inbox = Inbox.builder(database).clock(clock).build();
        inbox.processOnce("billing", event(1), CHARGE);
        clock.now = clock.now.plus(Duration.ofDays(2));
        inbox.processOnce("billing", event(2), CHARGE);

        assertThat(inbox.pruneOlderThan(Duration.ofDays(1))).isEqualTo(1);

        assertThat(inbox.isProcessed("billing", event(1).eventId())).isFalse();
        assertThat(inbox.isProcessed("billing", event(2).eventId())).isTrue();
        assertThat(inbox.processOnce("billing", event(2), CHARGE)).isFalse();
        assertThat(inbox.processOnce("billing", event(1), CHARGE)).as("the price of pruning").isTrue();
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(3);
        assertThat(inbox.pruneOlderThan(Duration.ofDays(3))).isZero();
    }

    @Test
    void refuses_bad_group_names_and_null_or_id_less_deliveries_before_writing_anything() throws Exception {
        Inbox inbox = open();
        for (String bad : new String[] {null, "", "  ", " billing", "billing\t", "x".repeat(Inbox.MAX_GROUP_LENGTH + 1)}) {
            assertThatThrownBy(() -> inbox.exactlyOnce(bad, CHARGE)).as("group %s", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank name");
            assertThatThrownBy(() -> inbox.isProcessed(bad, UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> inbox.exactlyOnce("billing", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> inbox.isProcessed("billing", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("eventId");
        EventHandler<DomainEvent> handler = inbox.exactlyOnce("billing", CHARGE);
        StoredEvent e = event(1);
        StoredEvent withoutId = new StoredEvent(null, e.eventType(), e.aggregateId(), e.aggregateType(), e.version(),
                e.globalPosition(), e.occurredAt(), e.recordedAt(), e.metadata(), e.event());
        assertThatThrownBy(() -> handler.handle(e.event(), withoutId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no event id");
        assertThatThrownBy(() -> handler.handle(e.event(), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("envelope");
        assertThatThrownBy(() -> handler.handle(null, e)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("event");
        assertThatThrownBy(() -> Inbox.builder(database).tablePrefix("Bad-Prefix")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tablePrefix");
        assertThatThrownBy(() -> inbox.pruneOlderThan(Duration.ofDays(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Inbox.open("jdbc:mysql://localhost/db?password=secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SQLite or PostgreSQL")
                .hasMessageNotContaining("secret");

        assertThat(count("SELECT count(*) FROM effects")).isZero();
        assertThat(count("SELECT count(*) FROM eventsource_inbox")).isZero();
    }

    /** The one number {@code query} returns, on the test's database. */
    protected final long count(String query) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The test's database, as {@link #newDatabase()} returned it. */
    protected final DataSource database() {
        return database;
    }

    private static final class SettableClock extends Clock {
        volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
