package dev.eventsource.relay;

import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusUnavailableException;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.subscription.InMemoryCheckpointStore;
import dev.eventsource.telemetry.RelayObserver;
import dev.eventsource.telemetry.RelayTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A real relay on an in-memory store and bus, observed through the OpenTelemetry SDK's in-memory exporters. */
class EventRelayTelemetryTest {

    record Happened(int n) implements DomainEvent {
    }

    private static final AttributeKey<Long> FIRST = AttributeKey.longKey("eventsource.position.first");
    private static final AttributeKey<Long> LAST = AttributeKey.longKey("eventsource.position.last");
    private static final AttributeKey<Long> COUNT = AttributeKey.longKey("messaging.batch.message_count");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
    private final InMemoryEventStore store = new InMemoryEventStore(new EventRegistry().register(Happened.class));
    private final InMemoryEventBus bus = new InMemoryEventBus();

    @AfterEach
    void close() {
        bus.shutdown(Duration.ofSeconds(1));
        openTelemetry.close();
    }

    @Test
    void every_acknowledged_batch_is_one_producer_span_with_its_positions_and_the_counters_and_lag_follow() throws Exception {
        append(5);
        try (EventRelay relay = EventRelay.builder("to-bus", store.recordedLog().orElseThrow(), new InMemoryCheckpointStore(), bus)
                .batchSize(2).maxBatchesInFlight(1).pollInterval(Duration.ofMillis(20)).openTelemetry(openTelemetry)
                .build().start()) {
            await(() -> spans.getFinishedSpanItems().size() == 3 && relay.status().state() == RelayState.LIVE);

            List<SpanData> batches = spans.getFinishedSpanItems();
            assertThat(batches).extracting(SpanData::getName).containsOnly("publish to-bus");
            assertThat(batches).extracting(SpanData::getKind).containsOnly(SpanKind.PRODUCER);
            assertThat(batches).extracting(s -> s.getAttributes().get(RelayTelemetry.RELAY)).containsOnly("to-bus");
            assertThat(batches).extracting(s -> s.getAttributes().get(FIRST)).containsExactly(1L, 3L, 5L);
            assertThat(batches).extracting(s -> s.getAttributes().get(LAST)).containsExactly(2L, 4L, 5L);
            assertThat(batches).extracting(s -> s.getAttributes().get(COUNT)).containsExactly(2L, 2L, 1L);
            assertThat(batches).extracting(s -> s.getAttributes().get(RelayTelemetry.OUTCOME)).containsOnly("acknowledged");
            assertThat(batches).extracting(s -> s.getStatus().getStatusCode()).doesNotContain(StatusCode.ERROR);

            Collection<MetricData> collected = metrics.collectAllMetrics();
            assertThat(sum(collected, "eventsource.relay.events.published")).isEqualTo(5);
            assertThat(gauge(collected, "eventsource.relay.lag.events")).isZero();
            assertThat(gauge(collected, "eventsource.relay.position")).isEqualTo(5);

            append(3);
            await(() -> relay.status().lastPublishedPosition() == 8);
            assertThat(sum(metrics.collectAllMetrics(), "eventsource.relay.events.published")).isEqualTo(8);
        }
        assertThat(metrics.collectAllMetrics()).extracting(MetricData::getName)
                .as("a stopped relay reports no gauges").doesNotContain("eventsource.relay.lag.events");
    }

    @Test
    void a_refused_batch_ends_its_span_with_the_error_and_counts_its_events_as_failed() throws Exception {
        append(3);
        FailingFirst publisher = new FailingFirst(bus);
        try (EventRelay relay = EventRelay.builder("flaky", store.recordedLog().orElseThrow(), new InMemoryCheckpointStore(),
                        publisher).batchSize(10).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .pollInterval(Duration.ofMillis(20)).openTelemetry(openTelemetry).build().start()) {
            await(() -> relay.status().lastPublishedPosition() == 3);
            await(() -> spans.getFinishedSpanItems().size() == 2);
        }
        List<SpanData> batches = spans.getFinishedSpanItems();
        SpanData refused = batches.get(0);
        assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(refused.getAttributes().get(RelayTelemetry.OUTCOME)).isEqualTo("failed");
        assertThat(refused.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo(BusUnavailableException.class.getName());
        assertThat(refused.getEvents()).extracting(e -> e.getName()).contains("exception");
        assertThat(batches.get(1).getAttributes().get(RelayTelemetry.OUTCOME)).isEqualTo("acknowledged");
        Collection<MetricData> collected = metrics.collectAllMetrics();
        assertThat(sum(collected, "eventsource.relay.events.failed")).isEqualTo(3);
        assertThat(sum(collected, "eventsource.relay.events.published")).isEqualTo(3);
    }

    @Test
    void an_observer_that_throws_never_stops_the_relay() throws Exception {
        append(4);
        AtomicInteger calls = new AtomicInteger();
        RelayObserver broken = new RelayObserver() {
            @Override
            public Batch publishingBatch(String relay, int events, long firstPosition, long lastPosition) {
                calls.incrementAndGet();
                throw new IllegalStateException("observer broken");
            }

            @Override
            public AutoCloseable register(String relay, java.util.function.Supplier<State> state) {
                throw new IllegalStateException("observer broken");
            }
        };
        try (EventRelay relay = EventRelay.builder("observed", store.recordedLog().orElseThrow(), new InMemoryCheckpointStore(), bus)
                .batchSize(2).pollInterval(Duration.ofMillis(20)).observer(broken).build().start()) {
            await(() -> relay.status().lastPublishedPosition() == 4);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(bus.stats().published()).isEqualTo(4);
        }
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            store.appendEvents(UUID.randomUUID(), "Thing", List.of(new Happened(i)), ExpectedVersion.NO_STREAM);
        }
    }

    private static long sum(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream()).mapToLong(p -> p.getValue()).sum();
    }

    private static long gauge(Collection<MetricData> metrics, String name) {
        List<Long> values = new ArrayList<>();
        metrics.stream().filter(m -> m.getName().equals(name))
                .forEach(m -> m.getLongGaugeData().getPoints().forEach(p -> values.add(p.getValue())));
        assertThat(values).as(name).hasSize(1);
        return values.get(0);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after 30 s");
            }
            Thread.sleep(5);
        }
    }

    /** A real bus behind a publisher that refuses its first call, as a broker that is down for a moment. */
    private static final class FailingFirst implements EventPublisher {
        private final InMemoryEventBus bus;
        private final AtomicInteger calls = new AtomicInteger();

        FailingFirst(InMemoryEventBus bus) {
            this.bus = bus;
        }

        @Override
        public void publish(List<StoredEvent> events) {
            if (calls.getAndIncrement() == 0) {
                throw new BusUnavailableException("flaky", "broker down for a moment", null);
            }
            bus.publish(events);
        }

        @Override
        public BusStats stats() {
            return bus.stats();
        }

        @Override
        public BusShutdownReport shutdown(Duration deadline) {
            return bus.shutdown(deadline);
        }
    }
}
