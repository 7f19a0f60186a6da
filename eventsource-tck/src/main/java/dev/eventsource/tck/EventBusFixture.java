package dev.eventsource.tck;

import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The plumbing every bus suite shares: a fresh bus per test, built with a fresh
 * {@link EventRegistry} that knows {@link TckEvent}, shut down after the test; stored events to
 * publish; a recording handler; and waiting without asserting on speed.
 *
 * <p>A bus implements {@link #newBus(EventRegistry)} once. It must return a new bus that no
 * earlier test's events can reach (for a broker: fresh topics or queues, or a fresh name prefix)
 * and that decodes with the given registry. Tests wait up to {@link #timeout()} for deliveries and
 * never assert how fast they came.
 */
public abstract class EventBusFixture {

    /** The aggregate type of the events the suites publish. */
    protected static final String TYPE = "Item";

    /** The registry the current test's bus was built with; it knows every {@link TckEvent}. */
    protected EventRegistry registry;

    /** The current test's bus. */
    protected EventBus bus;

    private final AtomicLong positions = new AtomicLong();
    private final Map<UUID, Long> versions = Collections.synchronizedMap(new LinkedHashMap<>());

    /** A new bus using {@code registry}, reachable by no other test. */
    protected abstract EventBus newBus(EventRegistry registry);

    /** How long a test waits for a delivery before it fails; generous, as machines and brokers vary. */
    protected Duration timeout() {
        return Duration.ofMinutes(1);
    }

    @BeforeEach
    final void openFreshBus() {
        registry = new EventRegistry();
        registry.register(TckEvent.class);
        bus = newBus(registry);
    }

    @AfterEach
    final void shutDownBus() {
        bus.shutdown(Duration.ofSeconds(10));
    }

    // ---- events ----

    /**
     * The next stored event of {@code aggregateId}'s stream, as a store would return it: the next
     * version of that stream, the next global position of the test, a random event id, metadata
     * with a tenant and a correlation id.
     */
    protected StoredEvent stored(UUID aggregateId, DomainEvent event) {
        long version = versions.merge(aggregateId, 1L, Long::sum);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        EventMetadata metadata = new EventMetadata("tenant-a", null, UUID.randomUUID(), null, Map.of("origin", "tck"));
        return new StoredEvent(UUID.randomUUID(), EventRegistry.typeName(event.getClass()), aggregateId, TYPE, version,
                positions.incrementAndGet(), now, now, metadata, event);
    }

    /** The next event of {@code aggregateId}: a {@link TckEvent.Renamed} carrying its version as revision. */
    protected StoredEvent next(UUID aggregateId) {
        long version = versions.getOrDefault(aggregateId, 0L) + 1;
        return stored(aggregateId, new TckEvent.Renamed("item", (int) version));
    }

    /** {@code perAggregate} events of each of {@code aggregates} new aggregates, interleaved round-robin. */
    protected List<StoredEvent> interleaved(int aggregates, int perAggregate) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < aggregates; i++) {
            ids.add(UUID.randomUUID());
        }
        List<StoredEvent> events = new ArrayList<>();
        for (int v = 0; v < perAggregate; v++) {
            for (UUID id : ids) {
                events.add(next(id));
            }
        }
        return events;
    }

    // ---- waiting ----

    /** Waits until {@code condition} holds, failing after {@link #timeout()} with {@code what}. */
    protected void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout() + " waiting until " + what);
            }
            pause(2);
        }
    }

    /**
     * Waits long enough for a bus to have acted on what was published, before a test asserts that
     * something did <em>not</em> happen. It cannot publish a marker instead: most tests' handlers
     * receive every event.
     */
    protected static void settle() {
        pause(500);
    }

    protected static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A handler that records what it gets, thread-safely. */
    protected static class Recorder implements EventHandler<DomainEvent> {
        private final List<StoredEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void handle(DomainEvent event, StoredEvent envelope) throws Exception {
            events.add(envelope);
        }

        /** What it received, in order. */
        public List<StoredEvent> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        public List<UUID> ids() {
            return events().stream().map(StoredEvent::eventId).toList();
        }

        public int size() {
            return events.size();
        }
    }
}
