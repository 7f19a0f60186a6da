package dev.eventsource.tck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.SerializationException;
import dev.eventsource.event.UnknownEventTypeException;
import dev.eventsource.store.AppendOutcomeUnknownException;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Behaviour that needs a second store over the same data: data outlives the store object, two
 * instances (two application processes) share streams, versions and positions, a registry that
 * lacks a stored type fails with {@link UnknownEventTypeException}, old schema versions are
 * upcast on read (see {@code docs/semantics.md}, "Events, metadata and time" and
 * "Lifecycle and threads"), and an append racing {@code close()} is either
 * stored, or refused with {@link StoreClosedException} having written nothing, or reported as
 * {@link AppendOutcomeUnknownException} (checked through a second store after the close).
 *
 * <p>Only backends whose data can be opened twice extend it (SQLite files, PostgreSQL); the
 * in-memory store cannot and does not. Besides {@code newStore}, a backend implements
 * {@link #reopen(EventStore, EventRegistry)}.
 */
public abstract class ReopenContract extends EventStoreFixture {

    private static final int CLOSE_RACE_ROUNDS = 10;
    private static final int CLOSE_RACE_THREADS = 8;

    private final List<EventStore> reopened = new ArrayList<>();

    /**
     * A new store instance over the same data as {@code store} (the same file, database or schema),
     * using {@code registry}; not yet initialized. {@code store} stays open and in use: both must
     * work side by side, as two processes would. The suite closes the returned store.
     */
    protected abstract EventStore reopen(EventStore store, EventRegistry registry);

    @AfterEach
    final void closeReopenedStores() {
        reopened.forEach(EventStore::close);
    }

    @Test
    void a_reopened_store_reads_the_events_written_through_the_first() {
        UUID id = streamWith(3);
        List<StoredEvent> written = store.getEvents(id, TYPE).events();
        assertThat(written).hasSize(3);

        EventStore other = reopened(new EventRegistry().register(TckEvent.class));

        assertThat(other.getEvents(id, TYPE).events()).isEqualTo(written);
        assertThat(other.globalPosition()).isEqualTo(store.globalPosition());
    }

    @Test
    void appends_through_a_reopened_store_continue_the_versions_and_positions() {
        UUID id = streamWith(2);
        long position = store.globalPosition();
        EventStore other = reopened(new EventRegistry());

        AppendResult result = other.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("x", 3)), ExpectedVersion.exactly(2));

        assertThat(result.newVersion()).isEqualTo(3);
        assertThat(result.globalPosition()).isGreaterThan(position);
    }

    @Test
    void an_append_through_one_store_is_seen_by_the_other() {
        UUID id = streamWith(1);
        // Like any reading process, the first store must know the types the other one writes.
        registry.register(TckEvent.class);
        EventStore other = reopened(new EventRegistry());

        other.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("from the other", 2)), ExpectedVersion.exactly(1));

        assertThat(payloads(store.getEvents(id, TYPE).events())).last().isEqualTo(new TckEvent.Renamed("from the other", 2));
        assertThat(readAll()).hasSize(2);
    }

    @Test
    void a_conflict_is_detected_across_two_stores_on_the_same_data() {
        UUID id = streamWith(1);
        EventStore other = reopened(new EventRegistry());
        other.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("won", 2)), ExpectedVersion.exactly(1));

        OptimisticLockException conflict = catchThrowableOfType(OptimisticLockException.class,
                () -> store.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("lost", 2)), ExpectedVersion.exactly(1)));

        assertThat(conflict).isNotNull();
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
    }

    @Test
    void a_retry_through_a_reopened_store_returns_the_original_result_and_writes_nothing() {
        UUID id = UUID.randomUUID();
        List<NewEvent> batch = List.of(NewEvent.of(new TckEvent.Created("a")), NewEvent.of(new TckEvent.Renamed("b", 2)));
        AppendResult original = store.append(id, TYPE, batch, ExpectedVersion.NO_STREAM);
        EventStore other = reopened(new EventRegistry());

        AppendResult retry = other.append(id, TYPE, batch, ExpectedVersion.NO_STREAM);

        assertThat(retry.newVersion()).isEqualTo(original.newVersion());
        assertThat(retry.globalPosition()).isEqualTo(original.globalPosition());
        assertThat(store.globalPosition()).isEqualTo(original.globalPosition());
        assertThat(other.getStreamVersion(id, TYPE)).isEqualTo(2);
    }

    @Test
    void initializing_a_second_store_over_existing_data_keeps_it() {
        UUID id = streamWith(2);
        EventStore other = reopened(new EventRegistry());

        other.initialize();

        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
        assertThat(other.getStreamVersion(id, TYPE)).isEqualTo(2);
    }

    @Test
    void an_append_racing_close_is_either_stored_or_reported_unknown_never_closed() throws Exception {
        registry.register(TckEvent.class);
        for (int round = 0; round < CLOSE_RACE_ROUNDS; round++) {
            EventStore racing = reopened(new EventRegistry());
            List<CloseRaceWriter> writers = new ArrayList<>();
            for (int i = 0; i < CLOSE_RACE_THREADS; i++) {
                writers.add(new CloseRaceWriter(racing));
            }
            CountDownLatch warm = new CountDownLatch(CLOSE_RACE_THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(CLOSE_RACE_THREADS);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (CloseRaceWriter writer : writers) {
                    running.add(pool.submit(() -> writer.run(warm)));
                }
                assertThat(warm.await(2, TimeUnit.MINUTES)).as("every writer appended before close").isTrue();
                racing.close();
                writers.forEach(CloseRaceWriter::closeReturned);
                for (Future<?> f : running) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            for (CloseRaceWriter writer : writers) {
                assertThat(writer.unexpected).as("round %d: only success, StoreClosedException or"
                        + " AppendOutcomeUnknownException", round).isNull();
                if (writer.closed != null) {
                    assertThat(writer.closed.stream().filter(e -> store.eventExists(e.eventId())))
                            .as("round %d: events of an append reported as StoreClosedException", round).isEmpty();
                }
                if (writer.unknown != null) {
                    AppendResult retry = store.append(writer.stream, TYPE, writer.unknown,
                            ExpectedVersion.exactly(writer.version));
                    assertThat(retry.newVersion()).isEqualTo(writer.version + 1);
                }
                long expected = writer.version + (writer.unknown == null ? 0 : 1);
                assertThat(store.getEvents(writer.stream, TYPE).events()).extracting(StoredEvent::eventId)
                        .as("round %d: the stream holds each acknowledged or retried event once", round)
                        .doesNotHaveDuplicates().hasSize((int) expected);
            }
        }
    }

    /** Appends one event at a time to a stream of its own until its store says it is closed. */
    private static final class CloseRaceWriter {
        final EventStore target;
        final UUID stream = UUID.randomUUID();
        /** Acknowledged appends, one event each. */
        long version;
        List<NewEvent> closed;
        List<NewEvent> unknown;
        Throwable unexpected;
        private volatile boolean closeReturned;

        CloseRaceWriter(EventStore target) {
            this.target = target;
        }

        void closeReturned() {
            closeReturned = true;
        }

        void run(CountDownLatch warm) {
            while (true) {
                List<NewEvent> batch = List.of(NewEvent.of(new TckEvent.Renamed("n", (int) version + 1)));
                boolean afterClose = closeReturned;
                try {
                    target.append(stream, TYPE, batch, ExpectedVersion.exactly(version));
                    if (afterClose) {
                        unexpected = new AssertionError("an append begun after close() returned succeeded");
                        return;
                    }
                    version++;
                    if (version == 3) {
                        warm.countDown();
                    }
                } catch (StoreClosedException e) {
                    closed = batch;
                    return;
                } catch (AppendOutcomeUnknownException e) {
                    unknown = batch;
                    assertThat(e.eventIds()).containsExactly(batch.get(0).eventId());
                    return;
                } catch (Throwable e) {
                    unexpected = e;
                    warm.countDown();
                    return;
                }
            }
        }
    }

    // Reading with another registry.

    @Test
    void reading_a_stream_with_a_type_the_registry_does_not_know_throws_unknown_event_type() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.Named("x"));
        EventStore other = reopened(new EventRegistry().register(TckEvent.Created.class));

        UnknownEventTypeException unknown = catchThrowableOfType(UnknownEventTypeException.class,
                () -> other.getEvents(id, TYPE));

        assertThat(unknown).isNotNull();
        assertThat(unknown.eventType()).isEqualTo("tck.Named");
        assertThat(unknown.knownTypes()).containsExactly("Created");
        assertThat(unknown).hasMessageContaining("tck.Named").hasMessageContaining("Created");
    }

    @Test
    void reading_all_with_a_type_the_registry_does_not_know_throws_unknown_event_type() {
        append(UUID.randomUUID(), new OddEvents.Named("x"));
        EventStore other = reopened(new EventRegistry());

        assertThatThrownBy(() -> {
            try (Stream<StoredEvent> events = other.readAll()) {
                events.count();
            }
        }).isInstanceOf(UnknownEventTypeException.class).hasMessageContaining("tck.Named");
    }

    @Test
    void a_registry_that_knows_the_stored_types_reads_events_another_process_wrote() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.Named("x"), new TckEvent.Created("y"));
        EventStore other = reopened(new EventRegistry().register(OddEvents.Named.class).register(TckEvent.class));

        assertThat(payloads(other.getEvents(id, TYPE).events()))
                .containsExactly(new OddEvents.Named("x"), new TckEvent.Created("y"));
    }

    // Schema evolution.

    @Test
    void an_event_stored_in_an_older_schema_version_is_upcast_to_the_current_record_on_read() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.PersonV1("Ada Lovelace"));
        EventStore other = reopened(personV2WithUpcaster());

        assertThat(payloads(other.getEvents(id, TYPE).events())).containsExactly(new OddEvents.PersonV2("Ada", "Lovelace"));
    }

    @Test
    void a_global_read_upcasts_old_schema_versions_too() {
        append(UUID.randomUUID(), new OddEvents.PersonV1("Grace Hopper"));
        EventStore other = reopened(personV2WithUpcaster());

        try (Stream<StoredEvent> events = other.readAll()) {
            assertThat(events.map(StoredEvent::event)).containsExactly(new OddEvents.PersonV2("Grace", "Hopper"));
        }
    }

    @Test
    void reading_an_old_schema_version_without_an_upcaster_throws_serialization_exception() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.PersonV1("Ada Lovelace"));
        EventStore other = reopened(new EventRegistry().register(OddEvents.PersonV2.class));

        assertThatThrownBy(() -> other.getEvents(id, TYPE))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("tck.Person");
    }

    @Test
    void reading_a_newer_schema_version_than_the_class_throws_serialization_exception() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.PersonV2("Ada", "Lovelace"));
        EventStore other = reopened(new EventRegistry().register(OddEvents.PersonV1.class));

        assertThatThrownBy(() -> other.getEvents(id, TYPE))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("tck.Person");
    }

    @Test
    void upcasting_never_rewrites_the_stored_event() {
        UUID id = UUID.randomUUID();
        append(id, new OddEvents.PersonV1("Ada Lovelace"));
        reopened(personV2WithUpcaster()).getEvents(id, TYPE);

        EventStore v1Reader = reopened(new EventRegistry().register(OddEvents.PersonV1.class));

        assertThat(payloads(v1Reader.getEvents(id, TYPE).events())).containsExactly(new OddEvents.PersonV1("Ada Lovelace"));
    }

    private static EventRegistry personV2WithUpcaster() {
        return new EventRegistry().register(OddEvents.PersonV2.class).registerUpcaster("tck.Person", 1, (ObjectNode v1) -> {
            String[] parts = v1.get("fullName").asText().split(" ", 2);
            ObjectNode v2 = v1.objectNode();
            v2.put("firstName", parts[0]);
            v2.put("lastName", parts[1]);
            return v2;
        });
    }

    private EventStore reopened(EventRegistry registry) {
        EventStore other = reopen(store, registry);
        reopened.add(other);
        other.initialize();
        return other;
    }
}
