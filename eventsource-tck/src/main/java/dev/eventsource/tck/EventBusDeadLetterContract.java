package dev.eventsource.tck;

import dev.eventsource.bus.BusDeadLetter;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry, then dead letter: a handler that keeps failing gets its group's retry budget, then the
 * event goes to the group's dead letters while the group goes on; a dead letter can be replayed
 * (delivered again, and gone once handled) or discarded.
 */
public abstract class EventBusDeadLetterContract extends EventBusFixture {

    /** Three attempts without waiting, so the suite does not sleep through backoffs. */
    private static final RetryPolicy THREE_QUICK_ATTEMPTS = new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 1, 0);

    private static ConsumerGroup group(String name) {
        return ConsumerGroup.named(name).retrying(THREE_QUICK_ATTEMPTS);
    }

    /** A handler that fails for the events whose ids are in {@code failing}, and records the others. */
    private static EventHandler<DomainEvent> failingFor(Set<UUID> failing, Recorder handled) {
        return (event, envelope) -> {
            if (failing.contains(envelope.eventId())) {
                throw new IllegalStateException("cannot handle " + envelope.eventId());
            }
            handled.handle(event, envelope);
        };
    }

    @Test
    void dead_letters_an_event_after_its_group_used_up_the_retry_budget() {
        UUID id = UUID.randomUUID();
        StoredEvent poison = next(id);
        Set<UUID> failing = Set.of(poison.eventId());
        bus.subscribe(group("billing"), failingFor(failing, new Recorder()));

        bus.publish(poison);

        eventually("the event is dead-lettered", () -> bus.deadLetters("billing").size() == 1);
        BusDeadLetter letter = bus.deadLetters("billing").get(0);
        assertThat(letter.event()).isEqualTo(poison);
        assertThat(letter.group()).isEqualTo("billing");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.error()).contains("IllegalStateException").contains("cannot handle " + poison.eventId());
        assertThat(bus.stats().failed()).isEqualTo(3);
        assertThat(bus.stats().deadLettered()).isEqualTo(1);
        assertThat(bus.deadLetters("another group")).isEmpty();
    }

    @Test
    void an_error_the_groups_policy_calls_permanent_is_dead_lettered_at_the_first_failure() {
        StoredEvent poison = next(UUID.randomUUID());
        StoredEvent fine = next(UUID.randomUUID());
        AtomicInteger attempts = new AtomicInteger();
        Recorder handled = new Recorder();
        bus.subscribe(ConsumerGroup.named("strict").retrying(THREE_QUICK_ATTEMPTS.permanentOn(IllegalArgumentException.class)),
                (event, envelope) -> {
                    if (envelope.eventId().equals(poison.eventId())) {
                        attempts.incrementAndGet();
                        throw new IllegalArgumentException("bad data in " + envelope.eventId());
                    }
                    handled.handle(event, envelope);
                });

        bus.publish(List.of(poison, fine));

        eventually("the event is dead-lettered", () -> bus.deadLetters("strict").size() == 1);
        eventually("the next event is handled", () -> handled.events().size() == 1);
        assertThat(attempts.get()).as("no retry of a permanent error").isEqualTo(1);
        assertThat(bus.deadLetters("strict").get(0).attempts()).isEqualTo(1);
        assertThat(bus.deadLetters("strict").get(0).error()).contains("IllegalArgumentException");
    }

    @Test
    void a_handler_that_succeeds_within_the_budget_is_not_dead_lettered() {
        AtomicInteger calls = new AtomicInteger();
        Recorder handled = new Recorder();
        bus.subscribe(group("flaky"), (event, envelope) -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("transient");
            }
            handled.handle(event, envelope);
        });
        StoredEvent event = next(UUID.randomUUID());

        bus.publish(event);

        eventually("the third attempt handles it", () -> handled.size() == 1);
        assertThat(handled.events()).containsExactly(event);
        assertThat(bus.deadLetters("flaky")).isEmpty();
        assertThat(bus.stats().failed()).isEqualTo(2);
        assertThat(bus.stats().delivered()).isEqualTo(1);
    }

    @Test
    void a_dead_lettered_event_holds_up_neither_its_group_nor_the_other_groups() {
        List<StoredEvent> events = interleaved(3, 4);
        StoredEvent poison = events.get(4);
        Recorder handled = new Recorder();
        Recorder other = new Recorder();
        bus.subscribe(group("billing"), failingFor(Set.of(poison.eventId()), handled));
        bus.subscribe(group("audit"), other);

        bus.publish(events);

        eventually("the other events are handled", () -> handled.size() == events.size() - 1);
        eventually("the other group got everything", () -> other.size() == events.size());
        eventually("the poison event is dead-lettered", () -> bus.deadLetters("billing").size() == 1);
        assertThat(handled.ids()).doesNotContain(poison.eventId());
        assertThat(bus.deadLetters("audit")).isEmpty();
    }

    @Test
    void replay_delivers_a_dead_letter_again_and_removes_it_once_handled() {
        StoredEvent event = next(UUID.randomUUID());
        Set<UUID> failing = ConcurrentHashMap.newKeySet();
        failing.add(event.eventId());
        Recorder handled = new Recorder();
        bus.subscribe(group("billing"), failingFor(failing, handled));
        bus.publish(event);
        eventually("the event is dead-lettered", () -> bus.deadLetters("billing").size() == 1);
        String id = bus.deadLetters("billing").get(0).id();

        failing.clear();   // the bug is fixed
        assertThat(bus.replay(id)).isTrue();

        eventually("the replayed event is handled", () -> handled.size() == 1);
        assertThat(handled.events()).containsExactly(event);
        eventually("the dead letter is gone", () -> bus.deadLetters("billing").isEmpty());
        assertThat(bus.replay(id)).as("replaying it again finds nothing").isFalse();
    }

    @Test
    void a_replay_that_fails_again_dead_letters_the_event_again_with_its_attempts_added_up() {
        StoredEvent event = next(UUID.randomUUID());
        bus.subscribe(group("billing"), failingFor(Set.of(event.eventId()), new Recorder()));
        bus.publish(event);
        eventually("the event is dead-lettered", () -> bus.deadLetters("billing").size() == 1);
        String id = bus.deadLetters("billing").get(0).id();

        assertThat(bus.replay(id)).isTrue();

        eventually("it is dead-lettered again", () -> bus.deadLetters("billing").stream()
                .anyMatch(l -> l.attempts() == 6));
        assertThat(bus.deadLetters("billing")).singleElement().satisfies(letter -> {
            assertThat(letter.id()).isEqualTo(id);
            assertThat(letter.event()).isEqualTo(event);
        });
        assertThat(bus.stats().failed()).isEqualTo(6);
    }

    @Test
    void discard_removes_a_dead_letter_without_delivering_it() {
        StoredEvent event = next(UUID.randomUUID());
        AtomicInteger calls = new AtomicInteger();
        bus.subscribe(group("billing"), (e, envelope) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("always");
        });
        bus.publish(event);
        eventually("the event is dead-lettered", () -> bus.deadLetters("billing").size() == 1);
        String id = bus.deadLetters("billing").get(0).id();

        assertThat(bus.discard(id)).isTrue();

        assertThat(bus.deadLetters("billing")).isEmpty();
        assertThat(bus.discard(id)).isFalse();
        assertThat(bus.replay(id)).isFalse();
        settle();
        assertThat(calls).hasValue(3);
    }

    @Test
    void dead_letters_are_kept_per_group_and_event() {
        List<StoredEvent> events = interleaved(2, 2);
        Set<UUID> all = Set.copyOf(events.stream().map(StoredEvent::eventId).toList());
        bus.subscribe(group("billing"), failingFor(all, new Recorder()));
        bus.subscribe(group("audit").retrying(RetryPolicy.noRetry()), failingFor(Set.of(events.get(0).eventId()), new Recorder()));

        bus.publish(events);

        eventually("every billing event is dead-lettered", () -> bus.deadLetters("billing").size() == 4);
        eventually("the audit event is dead-lettered", () -> bus.deadLetters("audit").size() == 1);
        assertThat(bus.deadLetters("billing")).extracting(BusDeadLetter::event).containsExactlyInAnyOrderElementsOf(events);
        assertThat(bus.deadLetters("audit")).singleElement().satisfies(l -> {
            assertThat(l.event()).isEqualTo(events.get(0));
            assertThat(l.attempts()).isEqualTo(1);
        });
        assertThat(bus.deadLetters("billing")).extracting(BusDeadLetter::id)
                .doesNotContain(bus.deadLetters("audit").get(0).id()).doesNotHaveDuplicates();
    }
}
