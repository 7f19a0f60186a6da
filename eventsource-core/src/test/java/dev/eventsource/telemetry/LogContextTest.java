package dev.eventsource.telemetry;

import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.SubscriptionManager;
import dev.eventsource.subscription.SubscriptionOptions;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The MDC keys handlers see; slf4j-simple is the provider on the test class path. */
class LogContextTest {

    record Happened(int n) implements DomainEvent {
    }

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void a_subscription_handler_sees_its_subscription_and_event_and_the_producers_trace() throws Exception {
        assertThat(LogContext.enabled()).isTrue();
        InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
        UUID id = UUID.randomUUID();
        store.appendEvents(id, "Thing", List.of(new Happened(1)), ExpectedVersion.NO_STREAM,
                EventMetadata.EMPTY.withTraceContext(TRACEPARENT, null));
        store.appendEvents(id, "Thing", List.of(new Happened(2)), ExpectedVersion.exactly(1));
        List<StoredEvent> all = store.getEvents(id, "Thing").events();
        Map<UUID, Map<String, String>> seen = new ConcurrentHashMap<>();

        // Once on the subscription's thread, once on a worker thread (with a handler timeout).
        for (SubscriptionOptions options : List.of(SubscriptionOptions.builder().build(),
                SubscriptionOptions.builder().handlerTimeout(Duration.ofSeconds(5)).build())) {
            seen.clear();
            try (SubscriptionManager manager = SubscriptionManager.builder(store).build()) {
                manager.subscribe("audit", event -> seen.put(event.eventId(), copy(MDC.getCopyOfContextMap())), options);
                await(() -> seen.size() == 2);
            }
            assertThat(seen.get(all.get(0).eventId())).containsEntry(LogContext.SUBSCRIPTION, "audit")
                    .containsEntry(LogContext.EVENT_ID, all.get(0).eventId().toString())
                    .containsEntry(LogContext.EVENT_TYPE, "Happened")
                    .containsEntry(LogContext.GLOBAL_POSITION, "1")
                    .containsEntry(LogContext.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(seen.get(all.get(1).eventId())).containsEntry(LogContext.EVENT_ID, all.get(1).eventId().toString())
                    .containsEntry(LogContext.GLOBAL_POSITION, "2")
                    .as("the first event's trace does not leak into the next call").doesNotContainKey(LogContext.TRACE_ID);
        }
    }

    @Test
    void a_batch_handler_sees_the_batchs_positions() throws Exception {
        InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
        store.appendEvents(UUID.randomUUID(), "Thing", List.of(new Happened(1), new Happened(2), new Happened(3)),
                ExpectedVersion.NO_STREAM);
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        try (SubscriptionManager manager = SubscriptionManager.builder(store).build()) {
            manager.subscribeBatches("batches", events -> seen.add(copy(MDC.getCopyOfContextMap())),
                    SubscriptionOptions.builder().batchSize(10).build());
            await(() -> !seen.isEmpty());
        }
        assertThat(seen.get(0)).containsEntry(LogContext.SUBSCRIPTION, "batches")
                .containsEntry(LogContext.GLOBAL_POSITION, "1..3").doesNotContainKey(LogContext.EVENT_ID);
    }

    @Test
    void a_bus_handler_sees_its_group_and_the_keys_are_gone_after_the_call() {
        InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
        UUID id = UUID.randomUUID();
        store.appendEvents(id, "Thing", List.of(new Happened(1)), ExpectedVersion.NO_STREAM);
        StoredEvent event = store.getEvents(id, "Thing").events().get(0);
        Map<String, String> seen = new ConcurrentHashMap<>();
        InMemoryEventBus bus = new InMemoryEventBus();   // synchronous: the handler runs on this thread
        try {
            bus.subscribe(ConsumerGroup.named("billing"), (e, envelope) -> seen.putAll(copy(MDC.getCopyOfContextMap())));
            MDC.put(LogContext.GROUP, "outer");
            bus.publish(event);
            assertThat(seen).containsEntry(LogContext.GROUP, "billing")
                    .containsEntry(LogContext.EVENT_ID, event.eventId().toString());
            assertThat(MDC.get(LogContext.GROUP)).as("the caller's value is given back").isEqualTo("outer");
            assertThat(MDC.get(LogContext.EVENT_ID)).isNull();
        } finally {
            MDC.clear();
            bus.shutdown(Duration.ofSeconds(1));
        }
    }

    private static Map<String, String> copy(Map<String, String> mdc) {
        return mdc == null ? Map.of() : Map.copyOf(mdc);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
