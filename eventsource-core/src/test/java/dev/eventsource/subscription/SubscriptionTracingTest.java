package dev.eventsource.subscription;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription's batches traced and counted end to end: events appended under a producer's span
 * carry its trace context, and the consumer's batch span links to it.
 */
class SubscriptionTracingTest {

    public record Noted(String text) implements DomainEvent {
    }

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    @AfterEach
    void close() {
        openTelemetry.close();
    }

    @Test
    void a_batch_span_links_to_the_producers_trace_and_the_counters_and_gauges_follow() throws Exception {
        InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(new EventRegistry().register(Noted.class))
                .openTelemetry(openTelemetry).build();
        Span producer = openTelemetry.getTracer("test").spanBuilder("place order").startSpan();
        try (Scope ignored = producer.makeCurrent()) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("a"), new Noted("b")), ExpectedVersion.NO_STREAM);
        } finally {
            producer.end();
        }
        AtomicInteger handled = new AtomicInteger();
        try (SubscriptionManager manager = SubscriptionManager.builder(store).openTelemetry(openTelemetry)
                .pollInterval(Duration.ofMillis(10)).build()) {
            Subscription s = manager.subscribe("notes", event -> handled.incrementAndGet(), SubscriptionOptions.DEFAULTS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((handled.get() < 2 || consumerSpans().isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(gauge("eventsource.subscription.lag.events")).as("caught up").isZero();
            assertThat(s.health().eventsProcessed()).isEqualTo(2);
        }

        SpanData batch = consumerSpans().get(0);
        assertThat(batch.getName()).isEqualTo("process notes");
        assertThat(batch.getLinks()).extracting(l -> l.getSpanContext().getTraceId())
                .containsExactly(producer.getSpanContext().getTraceId());
        assertThat(counter("eventsource.subscription.events.processed")).isEqualTo(2);
    }

    private List<SpanData> consumerSpans() {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getKind() == SpanKind.CONSUMER).toList();
    }

    private long counter(String name) {
        return metric(name).getLongSumData().getPoints().stream().mapToLong(p -> p.getValue()).sum();
    }

    private long gauge(String name) {
        return metric(name).getLongGaugeData().getPoints().iterator().next().getValue();
    }

    private MetricData metric(String name) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
