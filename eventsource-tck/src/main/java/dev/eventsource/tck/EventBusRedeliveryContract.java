package dev.eventsource.tck;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventConsumer;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At-least-once across consumer restarts, for buses that declare
 * {@link BusCapability#DURABLE_GROUPS}: a group's place outlives the consumer that held it.
 *
 * <p>A bus implements {@link #newConsumer(EventBus)}: a new consumer of the same bus, as a
 * restarted process would open it (for a broker: a new client on the same topics or queues). The
 * suite stops consumers with {@code shutdown}, including with a deadline that a running handler
 * overruns, which is how a crash mid-batch looks to the broker: the event was fetched, never
 * acknowledged.
 */
public abstract class EventBusRedeliveryContract extends EventBusFixture {

    private final List<EventConsumer> consumers = new ArrayList<>();

    /** A new consumer of {@code bus}'s events, independent of {@code bus}'s own consumer side. */
    protected abstract EventConsumer newConsumer(EventBus bus);

    private EventConsumer consumer() {
        EventConsumer c = newConsumer(bus);
        consumers.add(c);
        return c;
    }

    @AfterEach
    final void shutDownConsumers() {
        consumers.forEach(c -> c.shutdown(Duration.ofSeconds(10)));
    }

    @Test
    void the_bus_declares_durable_groups() {
        assertThat(bus.capabilities()).contains(BusCapability.DURABLE_GROUPS);
    }

    @Test
    void events_published_while_a_group_has_no_member_reach_its_next_member() {
        EventConsumer first = consumer();
        Recorder before = new Recorder();
        first.subscribe(ConsumerGroup.named("projector"), before);
        UUID id = UUID.randomUUID();
        StoredEvent seen = next(id);
        bus.publish(seen);
        eventually("the first consumer handles the first event", () -> before.size() == 1);
        first.shutdown(timeout());

        List<StoredEvent> whileDown = List.of(next(id), next(id), next(id));
        bus.publish(whileDown);
        Recorder after = new Recorder();
        consumer().subscribe(ConsumerGroup.named("projector"), after);

        eventually("the restarted consumer gets what was published while it was down",
                () -> new HashSet<>(after.events()).containsAll(whileDown));
        List<Long> versions = after.events().stream().filter(whileDown::contains).map(StoredEvent::version).toList();
        assertThat(versions).as("in the aggregate's order").isSorted();
    }

    @Test
    void an_event_whose_handler_had_not_finished_when_its_consumer_stopped_is_delivered_again() throws Exception {
        UUID id = UUID.randomUUID();
        List<StoredEvent> events = List.of(next(id), next(id), next(id));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder crashed = new Recorder();
        EventConsumer first = consumer();
        first.subscribe(ConsumerGroup.named("projector"), (event, envelope) -> {
            if (envelope.eventId().equals(events.get(1).eventId())) {
                entered.countDown();
                release.await(1, TimeUnit.MINUTES);
            }
            crashed.handle(event, envelope);
        });
        bus.publish(events);
        assertThat(entered.await(timeout().toMillis(), TimeUnit.MILLISECONDS)).as("the second event is being handled").isTrue();

        BusShutdownReport report;
        try {
            report = first.shutdown(Duration.ofMillis(100));
        } finally {
            release.countDown();
        }
        assertThat(report.undelivered()).extracting(BusShutdownReport.Undelivered::event).contains(events.get(1));

        Recorder restarted = new Recorder();
        consumer().subscribe(ConsumerGroup.named("projector"), restarted);

        eventually("the restarted consumer gets the unfinished event and the ones after it",
                () -> new HashSet<>(restarted.events()).containsAll(events.subList(1, 3)));
        assertThat(restarted.events().stream().filter(e -> e.aggregateId().equals(id)).map(StoredEvent::version)
                .collect(Collectors.toList())).as("in the aggregate's order").isSorted();
    }

    @Test
    void a_group_that_handled_everything_before_a_restart_loses_nothing_after_it() {
        List<StoredEvent> published = new ArrayList<>();
        Recorder handled = new Recorder();
        for (int restart = 0; restart < 3; restart++) {
            EventConsumer c = consumer();
            c.subscribe(ConsumerGroup.named("projector"), handled);
            List<StoredEvent> round = interleaved(4, 3);
            bus.publish(round);
            published.addAll(round);
            eventually("round " + restart + " is handled", () -> new HashSet<>(handled.events()).containsAll(round));
            c.shutdown(timeout());
        }

        assertThat(new HashSet<>(handled.events())).containsExactlyInAnyOrderElementsOf(published);
    }
}
