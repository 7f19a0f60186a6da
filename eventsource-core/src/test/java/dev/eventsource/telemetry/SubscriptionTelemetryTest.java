package dev.eventsource.telemetry;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenTelemetry subscription observer on its own, as the subscription loop will call it. */
class SubscriptionTelemetryTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
    private final SubscriptionTelemetry telemetry = new SubscriptionTelemetry(openTelemetry);

    @AfterEach
    void close() {
        telemetry.close();
        openTelemetry.close();
    }

    @Test
    void a_batch_is_one_consumer_span_linked_once_to_each_distinct_producer() {
        String a = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String b = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        telemetry.handlingBatch("orders", 3, 10, 12, List.of(a, b, "not-a-traceparent")).handled(2, 1);

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("process orders");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getAttributes().get(SubscriptionTelemetry.SUBSCRIPTION)).isEqualTo("orders");
        assertThat(span.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count"))).isEqualTo(3L);
        assertThat(span.getAttributes().get(AttributeKey.longKey("eventsource.events.dead_lettered"))).isEqualTo(1L);
        assertThat(span.getLinks()).extracting(l -> l.getSpanContext().getTraceId())
                .containsExactly("4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c");
        assertThat(counter("eventsource.subscription.events.processed")).isEqualTo(2);
    }

    @Test
    void a_failed_batch_ends_its_span_with_an_error() {
        telemetry.handlingBatch("orders", 1, 1, 1, List.of()).failed(new IllegalStateException("store down"));

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void failed_attempts_and_dead_letters_are_counted_per_subscription() {
        telemetry.attemptFailed("orders", "OrderPlaced", new IllegalStateException());
        telemetry.attemptFailed("orders", "OrderPlaced", new IllegalStateException());
        telemetry.deadLettered("orders", "OrderPlaced");

        assertThat(counter("eventsource.subscription.events.failed")).isEqualTo(2);
        assertThat(counter("eventsource.subscription.events.dead_lettered")).isEqualTo(1);
    }

    @Test
    void a_registered_subscription_reports_its_lag_and_dead_letters_until_its_registration_is_closed() throws Exception {
        AutoCloseable registration = telemetry.register("orders",
                () -> new SubscriptionObserver.State(42, Duration.ofMillis(1500), 3));

        Collection<MetricData> exported = metrics.collectAllMetrics();
        assertThat(gauge(exported, "eventsource.subscription.lag.events")).isEqualTo(42);
        assertThat(gauge(exported, "eventsource.subscription.dead_letters")).isEqualTo(3);
        assertThat(metric(exported, "eventsource.subscription.lag").getDoubleGaugeData().getPoints().iterator().next()
                .getValue()).isEqualTo(1.5);

        registration.close();
        assertThat(metrics.collectAllMetrics()).noneMatch(m -> m.getName().equals("eventsource.subscription.lag.events")
                && !m.getLongGaugeData().getPoints().isEmpty());
    }

    @Test
    void registering_a_running_name_twice_is_refused_with_the_fix() {
        telemetry.register("orders", () -> new SubscriptionObserver.State(0, Duration.ZERO, 0));

        assertThatThrownBy(() -> telemetry.register("orders", () -> new SubscriptionObserver.State(0, Duration.ZERO, 0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("close its registration");
    }

    @Test
    void a_state_with_a_negative_lag_is_refused() {
        assertThatThrownBy(() -> new SubscriptionObserver.State(-1, Duration.ZERO, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lagEvents");
    }

    @Test
    void batches_observed_from_many_threads_count_every_event_and_end_every_span() throws Exception {
        int threads = 8;
        int batches = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong expected = new AtomicLong();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "s" + (t % 3);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < batches; i++) {
                        telemetry.handlingBatch(name, 5, i, i + 4, List.of()).handled(5, 0);
                        expected.addAndGet(5);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(counter("eventsource.subscription.events.processed")).isEqualTo(expected.get());
        assertThat(spans.getFinishedSpanItems()).hasSize(threads * batches);
    }

    private long counter(String name) {
        return metric(metrics.collectAllMetrics(), name).getLongSumData().getPoints().stream()
                .mapToLong(p -> p.getValue()).sum();
    }

    private static long gauge(Collection<MetricData> exported, String name) {
        return metric(exported, name).getLongGaugeData().getPoints().iterator().next().getValue();
    }

    private static MetricData metric(Collection<MetricData> exported, String name) {
        return exported.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
