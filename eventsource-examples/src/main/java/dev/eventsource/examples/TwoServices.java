package dev.eventsource.examples;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventSelector;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.inbox.Inbox;
import dev.eventsource.inbox.InboxStats;
import dev.eventsource.kafka.KafkaBusConfig;
import dev.eventsource.kafka.KafkaEventConsumer;
import dev.eventsource.kafka.KafkaEventPublisher;
import dev.eventsource.relay.EventRelay;
import dev.eventsource.relay.RelayState;
import dev.eventsource.relay.RelayStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Two services that share nothing but a Kafka topic. The <em>order service</em> (A) saves orders in
 * its own SQLite file and publishes every committed event with an {@link EventRelay} through a
 * {@link KafkaEventPublisher} (one topic, key = order id). The <em>revenue service</em> (B) consumes
 * the topic as a {@link KafkaEventConsumer} group and keeps revenue per customer in its own SQLite
 * file, through an {@link Inbox}: each event's effect and its id commit in one transaction, so a
 * redelivered event changes nothing.
 *
 * <p>The program shows: orders placed in A reach B's read model; while B is stopped A goes on and
 * its relay publishes; B started again catches up from its committed offsets; A's relay publishing
 * everything again (its checkpoint reset, as after restoring an old backup) is skipped by B's inbox
 * as duplicates, and the read model stays the same.
 *
 * <p>Run with {@code mvn -q -pl eventsource-examples exec:java -Dexec.mainClass=dev.eventsource.examples.TwoServices
 * -Dexec.args="localhost:9092"}: the first argument, or else the environment variable
 * {@value #BOOTSTRAP_ENV}, is the broker's bootstrap servers (required); the second, if any, is the
 * directory for the two SQLite files (default: a new temporary directory; the files are deleted at
 * the end). Topic and group names carry a random suffix, so runs against one broker stay apart.
 */
public final class TwoServices {

    /** The environment variable {@link #main(String[])} reads the bootstrap servers from when no argument is given. */
    public static final String BOOTSTRAP_ENV = "EVENTSOURCE_KAFKA_BOOTSTRAP";

    private static final Duration WAIT = Duration.ofMinutes(1);

    /** An order was placed: the one event of this example. */
    public record OrderPlaced(String customer, long amountCents) implements DomainEvent {
    }

    record OrderState(String customer, long amountCents) {
    }

    static final class Order extends AggregateRoot<OrderState> {
        Order(UUID id) {
            super(id);
        }

        @Override
        protected OrderState initialState() {
            return new OrderState("", 0);
        }

        @Override
        protected OrderState apply(OrderState state, DomainEvent event) {
            return event instanceof OrderPlaced placed ? new OrderState(placed.customer(), placed.amountCents()) : state;
        }

        void place(String customer, long amountCents) {
            if (amountCents <= 0) {
                throw new IllegalArgumentException("an order's amount must be positive, got " + amountCents + " cents");
            }
            applyEvent(new OrderPlaced(customer, amountCents));
        }
    }

    private TwoServices() {
    }

    /** The broker: the first argument, else the environment variable's value; refused when neither gives one. */
    static String bootstrap(String[] args, String fromEnvironment) {
        String bootstrap = args.length > 0 ? args[0] : fromEnvironment;
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("no Kafka broker given: pass its bootstrap servers as the first argument"
                    + " or in the environment variable " + BOOTSTRAP_ENV + ", e.g. localhost:9092");
        }
        return bootstrap;
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = bootstrap(args, System.getenv(BOOTSTRAP_ENV));
        boolean ownDirectory = args.length < 2;
        Path dir = ownDirectory ? Files.createTempDirectory("two-services-") : Path.of(args[1]);
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaBusConfig kafka = KafkaBusConfig.builder(bootstrap.strip())
                .topic("orders-" + run)
                .groupIdPrefix("revenue-service-" + run + ".")
                .createTopics(4, (short) 1)
                .build();
        Path ordersDb = dir.resolve("orders.db");
        Path revenueDb = dir.resolve("revenue.db");
        try {
            RevenueService revenue = new RevenueService(revenueDb, kafka);   // B first: a new group starts at the end
            try (OrderService orders = new OrderService(ordersDb, kafka)) {
                orders.place("alice", 1200);
                orders.place("bob", 450);
                orders.place("alice", 300);
                revenue.awaitApplied(3);
                System.out.println("B's read model:      " + revenue.readModel());

                revenue.close();                                              // B goes down; A goes on
                orders.place("carol", 990);
                orders.place("bob", 50);
                orders.awaitPublished();
                System.out.println("A published, B down: " + readModel(revenueDb));

                revenue = new RevenueService(revenueDb, kafka);               // B back: catches up from its offsets
                revenue.awaitApplied(2);
                System.out.println("B caught up:         " + revenue.readModel());
                System.out.println("B's inbox:           " + describe(revenue.stats()));

                orders.republishEverything();                                 // the relay sends all 5 again
                revenue.awaitDuplicates(5);
                System.out.println("After a redelivery:  " + revenue.readModel());
                System.out.println("B's inbox:           " + describe(revenue.stats()));
            } finally {
                revenue.close();
            }
        } finally {
            Files.deleteIfExists(ordersDb);
            Files.deleteIfExists(revenueDb);
            try (var leftovers = Files.list(dir)) {       // SQLite's -wal/-shm and the relay's lock file
                for (Path p : leftovers.filter(p -> p.getFileName().toString().startsWith("orders.db")
                        || p.getFileName().toString().startsWith("revenue.db")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            if (ownDirectory) {
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Service A: orders in its own SQLite file, relayed to Kafka from the log. */
    static final class OrderService implements AutoCloseable {
        static final String RELAY = "orders-to-kafka";

        private final EventStoreBackend backend;
        private final KafkaEventPublisher publisher;
        private final AggregateRepository<Order> orders;
        private EventRelay relay;

        OrderService(Path database, KafkaBusConfig kafka) {
            EventRegistry registry = new EventRegistry().register(OrderPlaced.class);
            this.backend = EventStoreBackends.open("sqlite:" + database, registry);
            this.publisher = new KafkaEventPublisher(kafka, registry);
            this.orders = backend.repository(Order::new, "Order").build();
            this.relay = newRelay().start();
        }

        private EventRelay newRelay() {
            return EventRelay.builder(RELAY, backend, publisher).batchSize(100).build();
        }

        UUID place(String customer, long amountCents) {
            Order order = orders.createNew(UUID.randomUUID());
            order.place(customer, amountCents);
            orders.save(order);                 // committed: the relay will publish it, at least once
            return order.aggregateId();
        }

        /** Waits until the relay has published everything in the log. */
        void awaitPublished() throws InterruptedException {
            await("the relay to publish every order", () -> {
                RelayStatus s = relay.status();
                return s.state() == RelayState.LIVE && s.lagEvents() == 0;
            });
        }

        /** Stops the relay, forgets its checkpoint and starts it again: it publishes the whole log a second time. */
        void republishEverything() throws InterruptedException {
            awaitPublished();
            relay.close();
            backend.checkpoints().reset("relay:" + RELAY);
            relay = newRelay().start();
            awaitPublished();
        }

        @Override
        public void close() {
            relay.close();
            publisher.close();
            backend.close();
        }
    }

    /** Service B: revenue per customer in its own SQLite file, fed by a Kafka consumer group through an inbox. */
    static final class RevenueService implements AutoCloseable {
        static final String GROUP = "revenue";

        private final Path database;
        private final Inbox inbox;
        private final KafkaEventConsumer consumer;
        private final BusSubscription subscription;

        RevenueService(Path database, KafkaBusConfig kafka) throws SQLException {
            this.database = database;
            try (Connection c = connect(database); Statement sql = c.createStatement()) {
                sql.executeUpdate("CREATE TABLE IF NOT EXISTS revenue_by_customer"
                        + " (customer TEXT PRIMARY KEY, orders INTEGER NOT NULL, cents INTEGER NOT NULL)");
            }
            this.inbox = Inbox.open("jdbc:sqlite:" + database);
            EventRegistry registry = new EventRegistry().register(OrderPlaced.class);   // B's own registry
            this.consumer = new KafkaEventConsumer(kafka, registry);
            this.subscription = consumer.subscribe(ConsumerGroup.named(GROUP).selecting(EventSelector.ofClass(OrderPlaced.class)),
                    inbox.exactlyOnce(GROUP, (event, envelope, connection) -> {
                        OrderPlaced placed = (OrderPlaced) event;   // the group selects OrderPlaced only
                        try (PreparedStatement add = connection.prepareStatement("INSERT INTO revenue_by_customer"
                                + " (customer, orders, cents) VALUES (?, 1, ?) ON CONFLICT (customer)"
                                + " DO UPDATE SET orders = orders + 1, cents = cents + excluded.cents")) {
                            add.setString(1, placed.customer());
                            add.setLong(2, placed.amountCents());
                            add.executeUpdate();
                        }
                    }));
        }

        InboxStats stats() {
            return inbox.stats();
        }

        Map<String, String> readModel() throws SQLException {
            return TwoServices.readModel(database);
        }

        void awaitApplied(long events) throws InterruptedException {
            await(events + " orders applied by B", () -> inbox.stats().processed() >= events);
        }

        void awaitDuplicates(long events) throws InterruptedException {
            await(events + " duplicates skipped by B", () -> inbox.stats().duplicatesSkipped() >= events);
        }

        @Override
        public void close() {
            subscription.unsubscribe();    // commits the offsets of what it handled
            consumer.close();
        }
    }

    private static String describe(InboxStats stats) {
        return stats.processed() + " applied, " + stats.duplicatesSkipped() + " duplicates skipped, "
                + stats.failed() + " failed";
    }

    private static Map<String, String> readModel(Path database) throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = connect(database); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT customer, orders, cents FROM revenue_by_customer ORDER BY customer")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2) + " orders/" + rs.getLong(3) + "c");
            }
        }
        return rows;
    }

    private static Connection connect(Path database) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + database);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting " + WAIT + " for " + what);
            }
            Thread.sleep(10);
        }
    }
}
