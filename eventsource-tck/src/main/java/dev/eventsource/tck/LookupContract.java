package dev.eventsource.tck;

import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lookup role: stream versions, event existence and the global position, without payloads. */
public abstract class LookupContract extends EventStoreFixture {

    @Test
    void an_absent_stream_is_at_version_zero() {
        assertThat(store.getStreamVersion(UUID.randomUUID(), TYPE)).isZero();
    }

    @Test
    void a_stream_is_at_the_version_of_its_last_event() {
        UUID id = streamWith(3);

        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(3);
    }

    @Test
    void a_stream_looked_up_under_the_wrong_type_is_at_version_zero() {
        UUID id = streamWith(2);

        assertThat(store.getStreamVersion(id, "SomethingElse")).isZero();
        assertThat(store.getStreamVersion(id, TYPE)).isEqualTo(2);
    }

    @Test
    void a_stored_event_id_exists() {
        NewEvent event = NewEvent.of(new TckEvent.Created("x"));
        store.append(UUID.randomUUID(), TYPE, List.of(event), ExpectedVersion.NO_STREAM);

        assertThat(store.eventExists(event.eventId())).isTrue();
    }

    @Test
    void an_unknown_event_id_does_not_exist() {
        streamWith(2);

        assertThat(store.eventExists(UUID.randomUUID())).isFalse();
    }

    @Test
    void the_id_of_an_event_refused_in_a_conflict_does_not_exist() {
        UUID id = streamWith(1);
        NewEvent refused = NewEvent.of(new TckEvent.Renamed("late", 2));

        assertThatThrownBy(() -> store.append(id, TYPE, List.of(refused), ExpectedVersion.NO_STREAM))
                .isInstanceOf(OptimisticLockException.class);

        assertThat(store.eventExists(refused.eventId())).isFalse();
    }

    @Test
    void refuses_a_null_event_id() {
        assertThatThrownBy(() -> store.eventExists(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void global_position_grows_with_every_event_appended() {
        streamWith(1);
        long before = store.globalPosition();

        append(UUID.randomUUID(), new TckEvent.Created("a"), new TckEvent.Renamed("b", 2));

        assertThat(store.globalPosition()).isGreaterThan(before);
        assertThat(store.globalPosition()).isEqualTo(readAll().get(2).globalPosition());
    }

    @Test
    void refuses_a_blank_aggregate_type() {
        assertThatThrownBy(() -> store.getStreamVersion(UUID.randomUUID(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateType");
    }
}
