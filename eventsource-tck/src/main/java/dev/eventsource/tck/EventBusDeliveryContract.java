package dev.eventsource.tck;

import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventBusClosedException;
import dev.eventsource.bus.EventSelector;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.RetryPolicy;
import dev.eventsource.tenant.TenantId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every bus does with a published event: routing by class, by type name and to all, one
 * delivery per group, the order of each aggregate, handler isolation, unsubscribe, stats, refusals,
 * and shutdown with a deadline that reports what it left undone.
 */
public abstract class EventBusDeliveryContract extends EventBusFixture {

    @Test
    void delivers_a_published_event_with_its_whole_envelope() {
        Recorder recorder = new Recorder();
        bus.subscribeToAll(recorder);
        StoredEvent event = stored(UUID.randomUUID(), new TckEvent.Priced(new BigDecimal("12.50"), TckEvent.Channel.WEB,
                Instant.now().truncatedTo(ChronoUnit.MICROS), UUID.randomUUID()));

        bus.publish(event);

        eventually("the event is delivered", () -> recorder.size() == 1);
        assertThat(recorder.events().get(0)).isEqualTo(event);
    }

    @Test
    void a_class_subscription_receives_the_instances_of_that_class_only() {
        List<TckEvent.Created> created = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(TckEvent.Created.class, (event, envelope) -> created.add(event));
        UUID id = UUID.randomUUID();

        bus.publish(List.of(stored(id, new TckEvent.Created("a")), next(id), stored(id, new TckEvent.Created("b"))));

        eventually("both Created events arrive", () -> created.size() == 2);
        settle();
        assertThat(created).containsExactly(new TckEvent.Created("a"), new TckEvent.Created("b"));
    }

    @Test
    void a_subscription_to_an_interface_receives_every_class_that_implements_it() {
        Recorder recorder = new Recorder();
        bus.subscribe(TckEvent.class, recorder::handle);
        UUID id = UUID.randomUUID();

        bus.publish(List.of(stored(id, new TckEvent.Created("a")), next(id)));

        eventually("both events arrive", () -> recorder.size() == 2);
    }

    @Test
    void a_type_subscription_receives_the_events_stored_under_that_name_only() {
        Recorder recorder = new Recorder();
        bus.subscribe(EventRegistry.typeName(TckEvent.Renamed.class), recorder);
        UUID id = UUID.randomUUID();
        List<StoredEvent> events = List.of(stored(id, new TckEvent.Created("a")), next(id), next(id));

        bus.publish(events);

        eventually("both Renamed events arrive", () -> recorder.size() == 2);
        settle();
        assertThat(recorder.events()).containsExactly(events.get(1), events.get(2));
    }

    @Test
    void a_group_of_one_tenant_receives_that_tenants_events_only() {
        Recorder acme = new Recorder();
        bus.subscribe(ConsumerGroup.named("billing-acme").selecting(EventSelector.all().forTenant(TenantId.of("acme"))), acme);
        Recorder acmeRenamed = new Recorder();
        bus.subscribe(ConsumerGroup.anonymous(EventSelector.ofType(EventRegistry.typeName(TckEvent.Renamed.class))
                .forTenant(TenantId.of("acme"))), acmeRenamed);
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        UUID three = UUID.randomUUID();
        List<StoredEvent> events = List.of(
                withMetadata(stored(one, new TckEvent.Created("a")), EventMetadata.EMPTY.withTenantId("acme")),
                withMetadata(stored(two, new TckEvent.Created("b")), EventMetadata.EMPTY.withTenantId("globex")),
                withMetadata(stored(three, new TckEvent.Created("c")), EventMetadata.EMPTY),
                withMetadata(next(one), EventMetadata.EMPTY.withTenantId("acme")),
                withMetadata(next(two), EventMetadata.EMPTY.withTenantId("globex")));

        bus.publish(events);

        eventually("acme's two events arrive", () -> acme.size() >= 2 && acmeRenamed.size() >= 1);
        settle();
        assertThat(acme.events()).containsExactly(events.get(0), events.get(3));
        assertThat(acmeRenamed.events()).containsExactly(events.get(3));
    }

    private static StoredEvent withMetadata(StoredEvent e, EventMetadata metadata) {
        return new StoredEvent(e.eventId(), e.eventType(), e.aggregateId(), e.aggregateType(), e.version(), e.globalPosition(),
                e.occurredAt(), e.recordedAt(), metadata, e.event());
    }

    @Test
    void each_group_receives_every_event_it_selects_once() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        bus.subscribeToAll(first);
        bus.subscribe(ConsumerGroup.named("second"), second);
        List<StoredEvent> events = interleaved(3, 3);

        bus.publish(events);

        eventually("both groups got every event", () -> first.size() >= 9 && second.size() >= 9);
        settle();
        assertThat(first.events()).containsExactlyInAnyOrderElementsOf(events);
        assertThat(second.events()).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void keeps_the_order_of_each_aggregate_across_lists_and_single_publishes() {
        Recorder recorder = new Recorder();
        bus.subscribeToAll(recorder);
        List<StoredEvent> events = interleaved(8, 25);

        for (int i = 0; i < events.size(); ) {
            int n = (i / 7) % 3 == 0 ? 1 : 7;   // single events and lists, mixed
            List<StoredEvent> chunk = events.subList(i, Math.min(events.size(), i + n));
            if (chunk.size() == 1) {
                bus.publish(chunk.get(0));
            } else {
                bus.publish(chunk);
            }
            i += chunk.size();
        }

        eventually("every event arrives", () -> recorder.size() >= events.size());
        assertThat(versionsByAggregate(recorder.events())).allSatisfy((id, versions) ->
                assertThat(versions).as("versions of %s", id).isSorted().doesNotHaveDuplicates().hasSize(25));
    }

    @Test
    void a_failing_handler_stops_neither_the_other_groups_nor_the_later_events_nor_the_publisher() {
        Recorder healthy = new Recorder();
        bus.subscribe(ConsumerGroup.named("failing").retrying(RetryPolicy.noRetry()), (event, envelope) -> {
            throw new IllegalStateException("handler bug");
        });
        bus.subscribe(ConsumerGroup.named("healthy"), healthy);
        List<StoredEvent> events = interleaved(2, 5);

        for (StoredEvent e : events) {
            bus.publish(e);
        }

        eventually("the healthy group got every event", () -> healthy.size() == events.size());
        eventually("the failures are counted", () -> bus.stats().failed() == events.size());
        assertThat(healthy.events()).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void a_handler_that_throws_an_error_is_isolated_like_one_that_throws_an_exception() {
        Recorder healthy = new Recorder();
        bus.subscribe(ConsumerGroup.named("asserting").retrying(RetryPolicy.noRetry()), (event, envelope) -> {
            throw new AssertionError("a failed check inside a handler");
        });
        bus.subscribe(ConsumerGroup.named("healthy"), healthy);
        UUID id = UUID.randomUUID();

        bus.publish(List.of(next(id), next(id)));

        eventually("the healthy group got both events", () -> healthy.size() == 2);
        eventually("both failures are counted", () -> bus.stats().failed() == 2);
    }

    @Test
    void after_unsubscribe_a_handler_receives_nothing_more() {
        Recorder leaving = new Recorder();
        Recorder staying = new Recorder();
        BusSubscription subscription = bus.subscribeToAll(leaving);
        bus.subscribeToAll(staying);
        UUID id = UUID.randomUUID();
        StoredEvent before = next(id);
        bus.publish(before);
        eventually("the first event arrives", () -> leaving.size() == 1 && staying.size() == 1);

        subscription.unsubscribe();
        StoredEvent after = next(id);
        bus.publish(after);

        eventually("the remaining subscriber gets the second event", () -> staying.size() == 2);
        settle();
        assertThat(subscription.isActive()).isFalse();
        assertThat(leaving.events()).containsExactly(before);
    }

    @Test
    void unsubscribing_twice_is_harmless_and_closing_unsubscribes() {
        Recorder recorder = new Recorder();
        BusSubscription first = bus.subscribeToAll(recorder);
        BusSubscription second = bus.subscribeToAll(recorder);
        assertThat(bus.stats().subscribers()).isEqualTo(2);

        first.unsubscribe();
        first.unsubscribe();
        second.close();

        assertThat(first.isActive()).isFalse();
        assertThat(second.isActive()).isFalse();
        assertThat(bus.stats().subscribers()).isZero();
    }

    @Test
    void stats_count_published_delivered_failed_and_subscribers() {
        Recorder recorder = new Recorder();
        bus.subscribeToAll(recorder);
        bus.subscribe(ConsumerGroup.named("fails").retrying(RetryPolicy.noRetry()), (event, envelope) -> {
            throw new IllegalStateException("always");
        });
        List<StoredEvent> events = interleaved(2, 3);

        bus.publish(events);

        eventually("both groups are done", () -> recorder.size() == 6 && bus.stats().failed() == 6);
        eventually("nothing is pending", () -> bus.stats().pending() == 0);
        BusStats stats = bus.stats();
        assertThat(stats.published()).isEqualTo(6);
        assertThat(stats.delivered()).isEqualTo(6);
        assertThat(stats.failed()).isEqualTo(6);
        assertThat(stats.deadLettered()).isEqualTo(6);
        assertThat(stats.subscribers()).isEqualTo(2);
    }

    @Test
    void the_envelope_a_typed_handler_gets_belongs_to_its_event() {
        Map<UUID, UUID> eventToAggregate = new java.util.concurrent.ConcurrentHashMap<>();
        bus.subscribe(TckEvent.Renamed.class, (renamed, envelope) -> {
            assertThat(envelope.event()).isSameAs(renamed);
            eventToAggregate.put(envelope.eventId(), envelope.aggregateId());
        });
        List<StoredEvent> events = interleaved(3, 2);

        bus.publish(events);

        eventually("every event arrives", () -> eventToAggregate.size() == 6);
        assertThat(eventToAggregate).isEqualTo(events.stream()
                .collect(Collectors.toMap(StoredEvent::eventId, StoredEvent::aggregateId)));
    }

    @Test
    void refuses_null_handlers_groups_and_selectors() {
        assertThatThrownBy(() -> bus.subscribeToAll(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> bus.subscribe(TckEvent.Created.class, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> bus.subscribe((ConsumerGroup) null, new Recorder())).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("group");
        assertThatThrownBy(() -> bus.subscribe((String) null, new Recorder())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventType");
        assertThat(bus.stats().subscribers()).isZero();
    }

    @Test
    void refuses_to_publish_what_is_not_a_stored_event_and_publishes_nothing_of_that_list() {
        Recorder recorder = new Recorder();
        bus.subscribeToAll(recorder);
        UUID id = UUID.randomUUID();
        StoredEvent good = next(id);
        StoredEvent unstored = new StoredEvent(UUID.randomUUID(), good.eventType(), id, TYPE, 0, 0, good.occurredAt(),
                good.recordedAt(), good.metadata(), good.event());
        List<StoredEvent> withNull = new ArrayList<>();
        withNull.add(good);
        withNull.add(null);

        assertThatThrownBy(() -> bus.publish(List.of(good, unstored))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 0").hasMessageContaining("store returned");
        assertThatThrownBy(() -> bus.publish(withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events[1] is null");
        assertThatThrownBy(() -> bus.publish((List<StoredEvent>) null)).isInstanceOf(NullPointerException.class);

        StoredEvent marker = next(id);
        bus.publish(marker);
        eventually("a valid event still gets through", () -> recorder.size() == 1);
        assertThat(recorder.events()).containsExactly(marker);
        assertThat(bus.stats().published()).isEqualTo(1);
    }

    @Test
    void a_group_refuses_a_member_that_selects_or_retries_differently() {
        bus.subscribe(ConsumerGroup.named("billing").selecting(EventSelector.ofClass(TckEvent.Created.class)), new Recorder());

        assertThatThrownBy(() -> bus.subscribe(ConsumerGroup.named("billing"), new Recorder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("billing").hasMessageContaining("same selector");
        assertThatThrownBy(() -> bus.subscribe(ConsumerGroup.named("billing").selecting(EventSelector.ofClass(TckEvent.Created.class))
                .retrying(RetryPolicy.noRetry()), new Recorder())).isInstanceOf(IllegalArgumentException.class);
        assertThat(bus.stats().subscribers()).isEqualTo(1);
    }

    @Test
    void refuses_to_publish_subscribe_or_replay_after_shutdown() {
        Recorder recorder = new Recorder();
        bus.subscribeToAll(recorder);
        StoredEvent event = next(UUID.randomUUID());
        bus.publish(event);
        eventually("the event arrives before shutdown", () -> recorder.size() == 1);

        bus.shutdown(timeout());

        assertThatThrownBy(() -> bus.publish(next(UUID.randomUUID()))).isInstanceOf(EventBusClosedException.class)
                .hasMessageContaining("shut down");
        assertThatThrownBy(() -> bus.subscribeToAll(new Recorder())).isInstanceOf(EventBusClosedException.class);
        assertThatThrownBy(() -> bus.replay("any")).isInstanceOf(EventBusClosedException.class);
        assertThat(bus.stats().subscribers()).isZero();
        assertThat(bus.shutdown(Duration.ZERO).isComplete()).as("a second shutdown has nothing left").isTrue();
    }

    @Test
    void shutdown_finishes_the_accepted_work_within_its_deadline() {
        Recorder recorder = new Recorder();
        bus.subscribe(ConsumerGroup.named("slow"), (event, envelope) -> {
            Thread.sleep(1);
            recorder.handle(event, envelope);
        });
        List<StoredEvent> events = interleaved(4, 10);
        bus.publish(events);

        BusShutdownReport report = bus.shutdown(timeout());

        assertThat(report.isComplete()).isTrue();
        assertThat(recorder.events()).containsExactlyInAnyOrderElementsOf(events);
        assertThat(bus.stats().pending()).isZero();
    }

    @Test
    void shutdown_reports_the_deliveries_it_could_not_finish_by_its_deadline() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<UUID> handled = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(ConsumerGroup.named("stuck"), (event, envelope) -> {
            entered.countDown();
            release.await(1, TimeUnit.MINUTES);
            handled.add(envelope.eventId());
        });
        UUID id = UUID.randomUUID();
        List<StoredEvent> events = List.of(next(id), next(id), next(id));
        Thread publisher = new Thread(() -> bus.publish(events));   // a synchronous bus blocks its publisher
        publisher.start();
        assertThat(entered.await(timeout().toMillis(), TimeUnit.MILLISECONDS)).as("the handler was entered").isTrue();

        BusShutdownReport report;
        List<UUID> handledBeforeTheDeadline;
        try {
            report = bus.shutdown(Duration.ofMillis(100));
            handledBeforeTheDeadline = List.copyOf(handled);
        } finally {
            release.countDown();
            publisher.join(timeout().toMillis());
        }

        assertThat(report.isComplete()).isFalse();
        assertThat(report.undelivered()).extracting(BusShutdownReport.Undelivered::event).contains(events.get(0))
                .isSubsetOf(events);
        assertThat(report.undelivered()).allSatisfy(u -> assertThat(u.group()).isEqualTo("stuck"));
        assertThat(report.undelivered()).extracting(u -> u.event().eventId())
                .doesNotHaveDuplicates().filteredOn(handledBeforeTheDeadline::contains).isEmpty();
    }

    private static Map<UUID, List<Long>> versionsByAggregate(List<StoredEvent> events) {
        return events.stream().collect(Collectors.groupingBy(StoredEvent::aggregateId, java.util.LinkedHashMap::new,
                Collectors.mapping(StoredEvent::version, Collectors.toList())));
    }
}
