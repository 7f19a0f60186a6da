package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.RecordedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An optional suite for backends that many writers use at once, each on its own connection and
 * transaction (PostgreSQL): the global order stays gap-safe for a checkpointing reader while
 * writers commit in parallel, hold transactions open and roll back (see {@code docs/semantics.md},
 * "The global log": a reader that has seen position {@code p} never later receives an event below
 * {@code p}).
 *
 * <p>Not part of {@link EventStoreContract}, because a store that serializes its writers has no
 * open write transactions to hold. A backend extends this class and implements
 * {@link #newStore(EventRegistry)} and {@link #beginAppend}: an append done the way the store does
 * it, in a transaction of its own on a connection of its own, left open until the returned
 * {@link PendingAppend} commits or rolls it back.
 */
public abstract class MultiWriterOrderingContract {

    private static final String TYPE = "Item";
    private static final int WRITERS = 16;
    private static final int APPENDS_PER_WRITER = 30;
    /** Generous guard so a store that never lets the reader finish fails instead of hanging the build. */
    private static final long GUARD_MINUTES = 5;

    /** An append whose transaction is still open: its events are written but not committed. */
    public interface PendingAppend {
        void commit();

        void rollback();
    }

    /** A new, empty store using {@code registry}; not yet initialized. */
    protected abstract EventStore newStore(EventRegistry registry);

    /**
     * Appends {@code events} to a new stream of {@code store} (expecting no stream) in a transaction
     * of its own on a connection of its own, exactly as {@code store} would write them, and returns
     * with that transaction still open.
     */
    protected abstract PendingAppend beginAppend(EventStore store, UUID aggregateId, String aggregateType,
                                                 List<NewEvent> events);

    /** The current test's store: fresh, empty and initialized. */
    protected EventStore store;

    @BeforeEach
    final void openFreshStore() {
        EventRegistry registry = new EventRegistry();
        registry.register(TckEvent.class);
        store = newStore(registry);
        store.initialize();
    }

    @AfterEach
    final void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void a_checkpointing_reader_gets_an_event_committed_late_even_when_later_events_committed_first() {
        UUID early = UUID.randomUUID();
        PendingAppend open = beginAppend(store, early, TYPE, List.of(NewEvent.of(new TckEvent.Created("early"))));
        UUID late = UUID.randomUUID();
        store.appendEvents(late, TYPE, List.of(new TckEvent.Created("late")), ExpectedVersion.NO_STREAM);
        Checkpoint reader = new Checkpoint();

        reader.poll();
        open.commit();
        reader.poll();

        assertThat(reader.seen).extracting(StoredEvent::aggregateId).containsExactlyInAnyOrder(early, late);
        assertThat(reader.positions()).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }

    @Test
    void a_rolled_back_append_is_never_read_and_does_not_hold_back_later_events() {
        PendingAppend open = beginAppend(store, UUID.randomUUID(), TYPE, List.of(NewEvent.of(new TckEvent.Created("doomed"))));
        UUID kept = UUID.randomUUID();
        store.appendEvents(kept, TYPE, List.of(new TckEvent.Created("kept")), ExpectedVersion.NO_STREAM);
        Checkpoint reader = new Checkpoint();

        reader.poll();
        open.rollback();
        reader.poll();

        assertThat(reader.seen).extracting(StoredEvent::aggregateId).containsExactly(kept);
    }

    @Test
    void events_after_an_open_transaction_are_read_once_it_commits() {
        PendingAppend open = beginAppend(store, UUID.randomUUID(), TYPE, List.of(NewEvent.of(new TckEvent.Created("held"))));
        for (int i = 0; i < 5; i++) {
            store.appendEvents(UUID.randomUUID(), TYPE, List.of(new TckEvent.Created("after " + i)), ExpectedVersion.NO_STREAM);
        }
        Checkpoint reader = new Checkpoint();
        reader.poll();

        open.commit();
        reader.poll();

        assertThat(reader.seen).hasSize(6);
        assertThat(reader.positions()).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }

    @Test
    void a_filtered_page_reader_that_keeps_its_position_gets_an_event_committed_late_below_unselected_ones() {
        UUID held = UUID.randomUUID();
        PendingAppend open = beginAppend(store, held, TYPE, List.of(NewEvent.of(new TckEvent.Renamed("held", 1))));
        for (int i = 0; i < 5; i++) {
            store.appendEvents(UUID.randomUUID(), TYPE, List.of(new TckEvent.Created("after " + i)), ExpectedVersion.NO_STREAM);
        }
        PageReader reader = new PageReader("Renamed");

        reader.poll();
        assertThat(reader.seen).isEmpty();
        open.commit();
        reader.poll();

        assertThat(reader.seen).extracting(RecordedEvent::aggregateId).containsExactly(held);
        assertThat(reader.position).isEqualTo(store.globalPosition());
    }

    @Test
    void sixteen_writers_holding_and_rolling_back_transactions_never_make_a_checkpointing_reader_skip_or_repeat()
            throws Exception {
        Set<UUID> committed = Collections.synchronizedSet(new HashSet<>());
        Set<UUID> rolledBack = Collections.synchronizedSet(new HashSet<>());
        Set<UUID> created = Collections.synchronizedSet(new HashSet<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        Checkpoint reader = new Checkpoint();
        PageReader createdOnly = new PageReader("Created");
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        try {
            Future<?> reading = pool.submit(() -> {
                while (writing.get()) {
                    reader.poll();
                    createdOnly.poll();
                    // Pacing only: leaves the writers some of the machine's cores.
                    Thread.sleep(1);
                }
                return null;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long seed = w;
                writers.add(pool.submit(() -> {
                    write(new Random(seed), committed, rolledBack, created);
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(GUARD_MINUTES, TimeUnit.MINUTES);
            }
            writing.set(false);
            reading.get(GUARD_MINUTES, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        reader.poll();
        createdOnly.poll();

        List<UUID> seenIds = reader.seen.stream().map(StoredEvent::eventId).collect(Collectors.toList());
        assertThat(rolledBack).isNotEmpty();
        assertThat(seenIds).doesNotHaveDuplicates().doesNotContainAnyElementsOf(rolledBack);
        assertThat(new HashSet<>(seenIds)).isEqualTo(committed);
        assertThat(reader.positions()).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();

        // A filtered reader that goes on from where each page got to, past the rows it does not select.
        Set<UUID> createdAndCommitted = new HashSet<>(committed);
        createdAndCommitted.retainAll(created);
        List<UUID> createdSeen = createdOnly.seen.stream().map(RecordedEvent::eventId).collect(Collectors.toList());
        assertThat(createdAndCommitted).isNotEmpty();
        assertThat(createdSeen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(createdSeen)).isEqualTo(createdAndCommitted);
        assertThat(createdOnly.seen).extracting(RecordedEvent::globalPosition).isSortedAccordingTo(Long::compare);
    }

    /**
     * One writer's share of the torture test: plain appends to its own stream, and every few
     * appends a transaction held open while others commit, which is then committed or rolled back.
     */
    private void write(Random random, Set<UUID> committed, Set<UUID> rolledBack, Set<UUID> created) throws InterruptedException {
        UUID own = UUID.randomUUID();
        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
            List<NewEvent> events = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int e = 0; e < count; e++) {
                NewEvent event = NewEvent.of(random.nextInt(5) == 0 ? new TckEvent.Created("c") : new TckEvent.Renamed("r", i));
                events.add(event);
                if (event.event() instanceof TckEvent.Created) {
                    created.add(event.eventId());
                }
            }
            Set<UUID> ids = events.stream().map(NewEvent::eventId).collect(Collectors.toSet());
            int kind = random.nextInt(6);
            if (kind < 2) {
                PendingAppend open = beginAppend(store, UUID.randomUUID(), TYPE, events);
                // Pacing only: lets other writers commit above this transaction's positions while it is open.
                Thread.sleep(random.nextInt(15));
                if (kind == 0) {
                    open.rollback();
                    rolledBack.addAll(ids);
                } else {
                    open.commit();
                    committed.addAll(ids);
                }
            } else {
                store.append(own, TYPE, events, ExpectedVersion.ANY);
                committed.addAll(ids);
            }
        }
    }

    /**
     * A reader of one event type that reads {@code readRecordedPage} and goes on from each page's
     * position, which can lie past the last row it was given.
     */
    private final class PageReader {
        private final List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
        private final String eventType;
        private volatile long position;

        PageReader(String eventType) {
            this.eventType = eventType;
        }

        void poll() {
            RecordedLog log = store.recordedLog().orElseThrow(() -> new AssertionError(store + " hands out no recorded log"));
            RecordedPage page;
            do {
                page = log.readRecordedPage(ReadOptions.builder().eventTypes(eventType).fromPosition(position).pageSize(7).build());
                seen.addAll(page.rows());
                position = page.position();
            } while (!page.atEnd());
        }
    }

    /** A reader that remembers the last position it saw and asks only for what comes after it. */
    private final class Checkpoint {
        private final List<StoredEvent> seen = Collections.synchronizedList(new ArrayList<>());
        private volatile long position;

        /** Reads everything after the checkpoint in small pages and moves the checkpoint. */
        void poll() {
            ReadOptions after = ReadOptions.builder().fromPosition(position).pageSize(7).build();
            try (Stream<StoredEvent> events = store.readAll(after)) {
                events.forEach(e -> {
                    seen.add(e);
                    position = e.globalPosition();
                });
            }
        }

        List<Long> positions() {
            synchronized (seen) {
                return seen.stream().map(StoredEvent::globalPosition).collect(Collectors.toList());
            }
        }
    }
}
