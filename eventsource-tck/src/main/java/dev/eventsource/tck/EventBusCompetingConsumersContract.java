package dev.eventsource.tck;

import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Competing consumers: the members of one group share its events, each event going to one member,
 * without loss; an aggregate's events stay in order with one member while the membership is
 * stable; a member that leaves hands its share to the others.
 *
 * <p>A broker may take a moment to hand a new member its share (a Kafka rebalance), so the tests
 * publish in rounds until every member has had work, instead of assuming an even split at once.
 */
public abstract class EventBusCompetingConsumersContract extends EventBusFixture {

    private static final int AGGREGATES = 40;

    /** Publishes rounds of one event per aggregate until every recorder got something; returns all published. */
    private List<StoredEvent> publishUntilEveryMemberHasWork(List<UUID> aggregates, Recorder... members) {
        List<StoredEvent> published = new ArrayList<>();
        long end = System.nanoTime() + timeout().toNanos();
        while (true) {
            List<StoredEvent> round = aggregates.stream().map(this::next).toList();
            bus.publish(round);
            published.addAll(round);
            if (allHaveWork(members) || System.nanoTime() > end) {
                return published;
            }
            pause(20);
        }
    }

    private static boolean allHaveWork(Recorder... members) {
        for (Recorder r : members) {
            if (r.size() == 0) {
                return false;
            }
        }
        return true;
    }

    private static List<UUID> aggregates() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < AGGREGATES; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    @Test
    void the_members_of_a_group_share_its_events_without_loss_or_duplicates() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        bus.subscribe(ConsumerGroup.named("workers"), first);
        bus.subscribe(ConsumerGroup.named("workers"), second);

        List<StoredEvent> published = publishUntilEveryMemberHasWork(aggregates(), first, second);

        eventually("every event is handled", () -> first.size() + second.size() >= published.size());
        settle();
        assertThat(first.size()).as("the first member's share").isPositive();
        assertThat(second.size()).as("the second member's share").isPositive();
        List<StoredEvent> both = new ArrayList<>(first.events());
        both.addAll(second.events());
        assertThat(both).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void each_member_gets_an_aggregate_s_events_in_order() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        bus.subscribe(ConsumerGroup.named("workers"), first);
        bus.subscribe(ConsumerGroup.named("workers"), second);

        List<StoredEvent> published = publishUntilEveryMemberHasWork(aggregates(), first, second);

        eventually("every event is handled", () -> first.size() + second.size() >= published.size());
        for (Recorder member : List.of(first, second)) {
            Map<UUID, List<Long>> versions = member.events().stream().collect(Collectors.groupingBy(
                    StoredEvent::aggregateId, Collectors.mapping(StoredEvent::version, Collectors.toList())));
            assertThat(versions).allSatisfy((id, v) -> assertThat(v).as("versions of %s", id).isSorted());
        }
    }

    @Test
    void another_group_still_gets_every_event() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Recorder auditor = new Recorder();
        bus.subscribe(ConsumerGroup.named("workers"), first);
        bus.subscribe(ConsumerGroup.named("workers"), second);
        bus.subscribe(ConsumerGroup.named("audit"), auditor);

        List<StoredEvent> published = publishUntilEveryMemberHasWork(aggregates(), first, second);

        eventually("the auditor got every event", () -> auditor.size() >= published.size());
        settle();
        assertThat(auditor.events()).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void when_a_member_leaves_the_others_take_over_its_share_without_loss() {
        Recorder leaving = new Recorder();
        Recorder staying = new Recorder();
        BusSubscription subscription = bus.subscribe(ConsumerGroup.named("workers"), leaving);
        bus.subscribe(ConsumerGroup.named("workers"), staying);
        List<UUID> aggregates = aggregates();
        List<StoredEvent> before = publishUntilEveryMemberHasWork(aggregates, leaving, staying);
        eventually("the first rounds are handled", () -> leaving.size() + staying.size() >= before.size());

        subscription.unsubscribe();
        int leftWith = leaving.size();
        List<StoredEvent> after = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<StoredEvent> events = aggregates.stream().map(this::next).toList();
            bus.publish(events);
            after.addAll(events);
        }

        Set<UUID> afterIds = after.stream().map(StoredEvent::eventId).collect(Collectors.toSet());
        eventually("the staying member handles every later event",
                () -> new HashSet<>(staying.ids()).containsAll(afterIds));
        settle();
        assertThat(leaving.size()).as("nothing reaches the member that left").isEqualTo(leftWith);
    }
}
