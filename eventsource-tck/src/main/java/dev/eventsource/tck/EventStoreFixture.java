package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The plumbing every contract suite shares: a fresh, empty, initialized store per test, built
 * with a fresh {@link EventRegistry}, and closed after the test.
 *
 * <p>A backend implements {@link #newStore(EventRegistry)} once. It must return a new store that
 * holds no events and uses the given registry; the suite initializes and closes it. A suite may
 * call it more than once in a test; every call must return an independent, empty store.
 */
public abstract class EventStoreFixture {

    /** The aggregate type most tests write to. */
    protected static final String TYPE = "Item";

    /** The registry the current test's store was built with. */
    protected EventRegistry registry;

    /** The current test's store: fresh, empty and initialized. */
    protected EventStore store;

    /** A new, empty store using {@code registry}; not yet initialized. */
    protected abstract EventStore newStore(EventRegistry registry);

    @BeforeEach
    final void openFreshStore() {
        registry = new EventRegistry();
        store = newStore(registry);
        store.initialize();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Appends events to {@code id}'s {@link #TYPE} stream, expecting nothing. */
    protected final AppendResult append(UUID id, DomainEvent... events) {
        return store.appendEvents(id, TYPE, List.of(events), ExpectedVersion.ANY);
    }

    /** A new stream of {@link #TYPE} holding {@code count} events; returns its id. */
    protected final UUID streamWith(int count) {
        UUID id = UUID.randomUUID();
        for (int i = 1; i <= count; i++) {
            append(id, i == 1 ? new TckEvent.Created("item") : new TckEvent.Renamed("item", i));
        }
        return id;
    }

    /** Every event {@code options} selects, collected (the stream is closed). */
    protected final List<StoredEvent> readAll(ReadOptions options) {
        try (Stream<StoredEvent> events = store.readAll(options)) {
            return events.collect(Collectors.toList());
        }
    }

    /** Every event in the store, in global order. */
    protected final List<StoredEvent> readAll() {
        return readAll(ReadOptions.ALL);
    }

    /** The global positions of events, in the order given. */
    protected static List<Long> positions(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::globalPosition).collect(Collectors.toList());
    }

    /** The payloads of events, in the order given. */
    protected static List<DomainEvent> payloads(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::event).collect(Collectors.toList());
    }
}
