package dev.eventsource.store.spi;

import dev.eventsource.store.StreamId;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.OptimisticLockException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendRulesTest {

    private final StreamId stream = new StreamId("Note", UUID.randomUUID());
    private final SerializedEvent a = event();
    private final SerializedEvent b = event();

    @Test
    void writes_after_the_current_version_when_the_expectation_holds() {
        var decision = AppendRules.decide(stream, ExpectedVersion.exactly(2), 2, List.of(a, b), Map.of());

        assertThat(decision).isInstanceOf(AppendRules.Write.class);
        AppendRules.Write write = (AppendRules.Write) decision;
        assertThat(write.firstVersion()).isEqualTo(3);
        assertThat(write.result(42)).isEqualTo(new AppendResult(4, 42));
    }

    @Test
    void a_conflict_carries_both_versions() {
        assertThatThrownBy(() -> AppendRules.decide(stream, ExpectedVersion.exactly(1), 2, List.of(a), Map.of()))
                .isInstanceOfSatisfying(OptimisticLockException.class, e -> {
                    assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(1));
                    assertThat(e.actualVersion()).isEqualTo(2);
                    assertThat(e.aggregateId()).isEqualTo(stream.aggregateId());
                });
    }

    @Test
    void the_same_ids_right_after_the_expected_version_are_a_retry_even_when_the_stream_moved_on() {
        var existing = Map.of(a.eventId(), new ExistingEvent(a.eventId(), stream, 3, 10),
                b.eventId(), new ExistingEvent(b.eventId(), stream, 4, 11));

        var decision = AppendRules.decide(stream, ExpectedVersion.exactly(2), 9, List.of(a, b), existing);

        assertThat(decision).isEqualTo(new AppendRules.Retry(new AppendResult(4, 11)));
    }

    @Test
    void the_same_ids_at_other_versions_are_not_a_retry() {
        var existing = Map.of(a.eventId(), new ExistingEvent(a.eventId(), stream, 5, 10),
                b.eventId(), new ExistingEvent(b.eventId(), stream, 6, 11));

        assertThatThrownBy(() -> AppendRules.decide(stream, ExpectedVersion.exactly(2), 6, List.of(a, b), existing))
                .isInstanceOf(OptimisticLockException.class);
    }

    @Test
    void an_id_stored_elsewhere_is_skipped_and_consumes_no_version() {
        StreamId other = new StreamId("Note", UUID.randomUUID());
        var existing = Map.of(a.eventId(), new ExistingEvent(a.eventId(), other, 1, 1));

        var write = (AppendRules.Write) AppendRules.decide(stream, ExpectedVersion.NO_STREAM, 0, List.of(a, b), existing);

        assertThat(write.events()).containsExactly(b);
        assertThat(write.skipped()).containsExactly(a.eventId());
        assertThat(write.result(7)).isEqualTo(new AppendResult(1, 7, List.of(a.eventId())));
    }

    @Test
    void an_empty_append_is_still_checked_and_writes_nothing() {
        assertThatThrownBy(() -> AppendRules.decide(stream, ExpectedVersion.STREAM_EXISTS, 0, List.of(), Map.of()))
                .isInstanceOf(OptimisticLockException.class);
        var write = (AppendRules.Write) AppendRules.decide(stream, ExpectedVersion.ANY, 3, List.of(), Map.of());
        assertThat(write.result(0)).isEqualTo(new AppendResult(3, 0));
    }

    private static SerializedEvent event() {
        return new SerializedEvent(UUID.randomUUID(), "E", 1, Instant.EPOCH, null, "{}", "{}");
    }
}
