package dev.eventsource.tck;

import dev.eventsource.event.SerializationException;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.StreamId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The append role: the expected-version matrix, conflicts that write nothing, atomic batches,
 * idempotent retries, skipped duplicates and empty appends (see {@code docs/semantics.md}, "Appending").
 */
public abstract class AppendContract extends EventStoreFixture {

    private static final TckEvent CREATED = new TckEvent.Created("item");
    private static final TckEvent RENAMED = new TckEvent.Renamed("renamed", 2);

    // The expected-version matrix: every expectation against an absent and an existing stream.

    @Test
    void any_appends_to_an_absent_stream() {
        AppendResult result = store.appendEvents(UUID.randomUUID(), TYPE, List.of(CREATED), ExpectedVersion.ANY);

        assertThat(result.newVersion()).isEqualTo(1);
    }

    @Test
    void any_appends_to_an_existing_stream() {
        UUID id = streamWith(2);

        AppendResult result = store.appendEvents(id, TYPE, List.of(RENAMED), ExpectedVersion.ANY);

        assertThat(result.newVersion()).isEqualTo(3);
    }

    @Test
    void no_stream_appends_to_an_absent_stream() {
        AppendResult result = store.appendEvents(UUID.randomUUID(), TYPE, List.of(CREATED), ExpectedVersion.NO_STREAM);

        assertThat(result.newVersion()).isEqualTo(1);
    }

    @Test
    void no_stream_conflicts_with_an_existing_stream() {
        UUID id = streamWith(1);

        assertConflict(id, ExpectedVersion.NO_STREAM, 1);
    }

    @Test
    void stream_exists_conflicts_with_an_absent_stream() {
        assertConflict(UUID.randomUUID(), ExpectedVersion.STREAM_EXISTS, 0);
    }

    @Test
    void stream_exists_appends_to_an_existing_stream() {
        UUID id = streamWith(1);

        AppendResult result = store.appendEvents(id, TYPE, List.of(RENAMED), ExpectedVersion.STREAM_EXISTS);

        assertThat(result.newVersion()).isEqualTo(2);
    }

    @Test
    void exactly_zero_appends_to_an_absent_stream() {
        AppendResult result = store.appendEvents(UUID.randomUUID(), TYPE, List.of(CREATED), ExpectedVersion.exactly(0));

        assertThat(result.newVersion()).isEqualTo(1);
    }

    @Test
    void exactly_a_positive_version_conflicts_with_an_absent_stream() {
        assertConflict(UUID.randomUUID(), ExpectedVersion.exactly(1), 0);
    }

    @Test
    void exactly_the_current_version_appends_to_an_existing_stream() {
        UUID id = streamWith(2);

        AppendResult result = store.appendEvents(id, TYPE, List.of(RENAMED), ExpectedVersion.exactly(2));

        assertThat(result.newVersion()).isEqualTo(3);
    }

    @Test
    void exactly_an_older_version_conflicts_when_the_stream_has_moved_on() {
        UUID id = streamWith(3);

        assertConflict(id, ExpectedVersion.exactly(2), 3);
    }

    @Test
    void exactly_a_version_ahead_of_the_stream_conflicts() {
        UUID id = streamWith(1);

        assertConflict(id, ExpectedVersion.exactly(5), 1);
    }

    // Stream ids.

    @Test
    void appending_through_a_stream_id_appends_to_its_type_and_id() {
        UUID id = UUID.randomUUID();
        StreamId stream = StreamId.of(TYPE, id);

        AppendResult first = store.appendEvents(stream, List.of(new TckEvent.Created("a")), ExpectedVersion.NO_STREAM);
        AppendResult second = store.append(stream, List.of(NewEvent.of(new TckEvent.Renamed("b", 2))), ExpectedVersion.exactly(1));
        AppendResult third = store.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("c", 3)), ExpectedVersion.exactly(2));

        assertThat(List.of(first.newVersion(), second.newVersion(), third.newVersion())).containsExactly(1L, 2L, 3L);
        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(store.getEvents(id, "Other").events()).isEmpty();
    }

    @Test
    void a_conflict_through_a_stream_id_is_the_conflict_of_its_type_and_id() {
        UUID id = streamWith(2);

        OptimisticLockException conflict = catchThrowableOfType(OptimisticLockException.class,
                () -> store.appendEvents(StreamId.of(TYPE, id), List.of(RENAMED), ExpectedVersion.exactly(1)));

        assertThat(conflict).isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo(id);
        assertThat(conflict.aggregateType()).isEqualTo(TYPE);
        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(1));
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
    }

    @Test
    void a_null_stream_id_is_refused_and_writes_nothing() {
        long before = store.globalPosition();

        assertThatThrownBy(() -> store.appendEvents((StreamId) null, List.of(RENAMED), ExpectedVersion.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StreamId.of");
        assertThatThrownBy(() -> store.append((StreamId) null, List.of(NewEvent.of(RENAMED)), ExpectedVersion.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StreamId.of");
        assertThat(store.globalPosition()).isEqualTo(before);
    }

    // Conflicts.

    @Test
    void a_conflict_names_the_stream_the_failed_expectation_and_the_actual_version() {
        UUID id = streamWith(2);

        OptimisticLockException conflict = catchThrowableOfType(OptimisticLockException.class,
                () -> store.appendEvents(id, TYPE, List.of(RENAMED), ExpectedVersion.exactly(1)));

        assertThat(conflict).isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo(id);
        assertThat(conflict.aggregateType()).isEqualTo(TYPE);
        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(1));
        assertThat(conflict.actualVersion()).isEqualTo(2);
    }

    @Test
    void a_conflicting_batch_writes_none_of_its_events() {
        UUID id = streamWith(2);
        List<StoredEvent> before = store.getEvents(id, TYPE).events();
        long positionBefore = store.globalPosition();

        assertThatThrownBy(() -> store.appendEvents(id, TYPE,
                List.of(RENAMED, new TckEvent.Renamed("x", 3), new TckEvent.Renamed("y", 4)), ExpectedVersion.exactly(1)))
                .isInstanceOf(OptimisticLockException.class);

        assertThat(store.getEvents(id, TYPE).events()).isEqualTo(before);
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
        assertThat(store.globalPosition()).isEqualTo(positionBefore);
    }

    @Test
    void a_conflict_on_an_absent_stream_leaves_it_absent() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> store.appendEvents(id, TYPE, List.of(CREATED), ExpectedVersion.STREAM_EXISTS))
                .isInstanceOf(OptimisticLockException.class);

        assertThat(store.getEvents(id, TYPE).events()).isEmpty();
        assertThat(store.globalPosition()).isZero();
    }

    // Batches.

    @Test
    void a_batch_gets_consecutive_versions_in_list_order() {
        UUID id = streamWith(1);

        store.appendEvents(id, TYPE, List.of(new TckEvent.Renamed("a", 2), new TckEvent.Renamed("b", 3),
                new TckEvent.Renamed("c", 4)), ExpectedVersion.exactly(1));

        List<StoredEvent> events = store.getEvents(id, TYPE).events();
        assertThat(events).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events.subList(1, 4)).extracting(e -> ((TckEvent.Renamed) e.event()).name())
                .containsExactly("a", "b", "c");
    }

    @Test
    void the_result_reports_the_new_version_and_the_position_of_the_last_event_written() {
        streamWith(2);
        UUID id = UUID.randomUUID();

        AppendResult result = store.appendEvents(id, TYPE, List.of(CREATED, RENAMED), ExpectedVersion.NO_STREAM);

        List<StoredEvent> events = store.getEvents(id, TYPE).events();
        assertThat(result.newVersion()).isEqualTo(2);
        assertThat(result.globalPosition()).isEqualTo(events.get(1).globalPosition());
        assertThat(result.globalPosition()).isEqualTo(store.globalPosition());
        assertThat(result.skippedEventIds()).isEmpty();
    }

    @Test
    void a_batch_with_an_unserializable_event_in_the_middle_writes_none_of_its_events() {
        UUID id = streamWith(1);

        assertThatThrownBy(() -> store.appendEvents(id, TYPE,
                List.of(RENAMED, new OddEvents.Unserializable("x"), new TckEvent.Renamed("z", 4)), ExpectedVersion.ANY))
                .isInstanceOf(SerializationException.class);

        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(1);
        assertThat(store.getEvents(id, TYPE).events()).hasSize(1);
        assertThat(store.globalPosition()).isEqualTo(1);
    }

    // Idempotency.

    @Test
    void retrying_an_append_with_the_same_event_ids_returns_the_original_result() {
        UUID id = streamWith(1);
        List<NewEvent> batch = List.of(NewEvent.of(RENAMED), NewEvent.of(new TckEvent.Renamed("again", 3)));
        AppendResult original = store.append(id, TYPE, batch, ExpectedVersion.exactly(1));

        AppendResult retry = store.append(id, TYPE, batch, ExpectedVersion.exactly(1));

        assertThat(original.newVersion()).isEqualTo(3);
        assertThat(retry.newVersion()).isEqualTo(original.newVersion());
        assertThat(retry.globalPosition()).isEqualTo(original.globalPosition());
    }

    @Test
    void retrying_an_append_writes_nothing() {
        UUID id = streamWith(1);
        List<NewEvent> batch = List.of(NewEvent.of(RENAMED), NewEvent.of(new TckEvent.Renamed("again", 3)));
        store.append(id, TYPE, batch, ExpectedVersion.exactly(1));
        long positionAfterOriginal = store.globalPosition();

        store.append(id, TYPE, batch, ExpectedVersion.exactly(1));

        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(3);
        assertThat(store.getEvents(id, TYPE).events()).hasSize(3);
        assertThat(store.globalPosition()).isEqualTo(positionAfterOriginal);
    }

    @Test
    void retrying_an_append_after_the_stream_moved_on_returns_the_original_result_and_writes_nothing() {
        UUID id = UUID.randomUUID();
        List<NewEvent> batch = List.of(NewEvent.of(CREATED), NewEvent.of(RENAMED));
        AppendResult original = store.append(id, TYPE, batch, ExpectedVersion.NO_STREAM);
        append(id, new TckEvent.Renamed("later", 3), new TckEvent.Renamed("later still", 4));
        long positionBefore = store.globalPosition();

        AppendResult retry = store.append(id, TYPE, batch, ExpectedVersion.NO_STREAM);

        assertThat(retry.newVersion()).isEqualTo(original.newVersion());
        assertThat(retry.globalPosition()).isEqualTo(original.globalPosition());
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(4);
        assertThat(store.globalPosition()).isEqualTo(positionBefore);
    }

    @Test
    void retrying_an_append_with_any_returns_the_original_result() {
        UUID id = streamWith(1);
        List<NewEvent> batch = List.of(NewEvent.of(RENAMED));
        AppendResult original = store.append(id, TYPE, batch, ExpectedVersion.ANY);

        AppendResult retry = store.append(id, TYPE, batch, ExpectedVersion.ANY);

        assertThat(retry.newVersion()).isEqualTo(original.newVersion());
        assertThat(retry.globalPosition()).isEqualTo(original.globalPosition());
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
    }

    @Test
    void an_event_whose_id_is_stored_in_another_stream_is_skipped_and_reported() {
        NewEvent stored = NewEvent.of(CREATED);
        store.append(UUID.randomUUID(), TYPE, List.of(stored), ExpectedVersion.NO_STREAM);
        UUID id = UUID.randomUUID();
        NewEvent fresh = NewEvent.of(RENAMED);

        AppendResult result = store.append(id, TYPE, List.of(stored, fresh), ExpectedVersion.NO_STREAM);

        assertThat(result.skippedEventIds()).containsExactly(stored.eventId());
        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::eventId).containsExactly(fresh.eventId());
    }

    @Test
    void a_skipped_event_consumes_no_version() {
        NewEvent stored = NewEvent.of(CREATED);
        store.append(UUID.randomUUID(), TYPE, List.of(stored), ExpectedVersion.NO_STREAM);
        UUID id = UUID.randomUUID();

        AppendResult result = store.append(id, TYPE,
                List.of(NewEvent.of(CREATED), stored, NewEvent.of(RENAMED)), ExpectedVersion.NO_STREAM);

        assertThat(result.newVersion()).isEqualTo(2);
        assertThat(store.getEvents(id, TYPE).events()).extracting(StoredEvent::version).containsExactly(1L, 2L);
        assertThat(readAll()).hasSize(3);
    }

    @Test
    void an_append_whose_only_event_is_stored_elsewhere_writes_nothing_and_reports_it() {
        NewEvent stored = NewEvent.of(CREATED);
        store.append(UUID.randomUUID(), TYPE, List.of(stored), ExpectedVersion.NO_STREAM);
        UUID id = UUID.randomUUID();

        AppendResult result = store.append(id, TYPE, List.of(stored), ExpectedVersion.NO_STREAM);

        assertThat(result.newVersion()).isZero();
        assertThat(result.skippedEventIds()).containsExactly(stored.eventId());
        assertThat(store.getStreamVersion(id, TYPE)).isZero();
        assertThat(store.globalPosition()).isEqualTo(1);
    }

    @Test
    void refuses_two_events_with_one_id_in_the_same_append_and_writes_nothing() {
        UUID id = UUID.randomUUID();
        NewEvent first = NewEvent.of(CREATED);

        assertThatThrownBy(() -> store.append(id, TYPE, List.of(first, NewEvent.of(RENAMED).withEventId(first.eventId())),
                ExpectedVersion.ANY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(first.eventId().toString());

        assertThat(store.getStreamVersion(id, TYPE)).isZero();
        assertThat(store.eventExists(first.eventId())).isFalse();
    }

    // Empty appends.

    @Test
    void an_empty_append_writes_nothing_and_reports_the_current_version() {
        UUID id = streamWith(2);

        long positionBefore = store.globalPosition();

        AppendResult result = store.appendEvents(id, TYPE, List.of(), ExpectedVersion.exactly(2));

        assertThat(result.newVersion()).isEqualTo(2);
        assertThat(result.globalPosition()).isZero();
        assertThat(store.globalPosition()).isEqualTo(positionBefore);
        assertThat(readAll()).hasSize(2);
    }

    @Test
    void an_empty_append_to_an_absent_stream_does_not_create_it() {
        UUID id = UUID.randomUUID();

        AppendResult result = store.appendEvents(id, TYPE, List.of(), ExpectedVersion.NO_STREAM);

        assertThat(result.newVersion()).isZero();
        assertThat(store.getStreamVersion(id, TYPE)).isZero();
        assertThat(store.globalPosition()).isZero();
    }

    @Test
    void an_empty_append_is_still_checked_against_the_expected_version() {
        UUID id = streamWith(2);

        assertThatThrownBy(() -> store.appendEvents(id, TYPE, List.of(), ExpectedVersion.exactly(1)))
                .isInstanceOf(OptimisticLockException.class);
    }

    // Refused arguments.

    @Test
    void refuses_a_blank_aggregate_type() {
        assertThatThrownBy(() -> store.appendEvents(UUID.randomUUID(), " ", List.of(CREATED), ExpectedVersion.ANY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateType");
    }

    @Test
    void refuses_a_null_aggregate_id() {
        assertThatThrownBy(() -> store.appendEvents(null, TYPE, List.of(CREATED), ExpectedVersion.ANY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateId");
    }

    @Test
    void refuses_a_null_expected_version() {
        assertThatThrownBy(() -> store.appendEvents(UUID.randomUUID(), TYPE, List.of(CREATED), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    private void assertConflict(UUID id, ExpectedVersion expected, long actual) {
        long positionBefore = store.globalPosition();

        OptimisticLockException conflict = catchThrowableOfType(OptimisticLockException.class,
                () -> store.appendEvents(id, TYPE, List.of(RENAMED), expected));

        assertThat(conflict).as("append with %s to a stream at version %d", expected, actual).isNotNull();
        assertThat(conflict.expected()).isEqualTo(expected);
        assertThat(conflict.actualVersion()).isEqualTo(actual);
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(actual);
        assertThat(store.globalPosition()).isEqualTo(positionBefore);
    }
}
