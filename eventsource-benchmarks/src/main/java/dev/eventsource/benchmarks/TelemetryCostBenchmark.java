package dev.eventsource.benchmarks;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.EventTraceContext;
import dev.eventsource.store.MetricsObserver;
import dev.eventsource.store.StoreObserver;
import dev.eventsource.store.TracingObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the store's telemetry adds to one append, alone, in nanoseconds: the span and metrics
 * observers around an append plus the trace-context check, exactly as {@code AbstractEventStore}
 * runs them, without the append itself. Divided by an append's time it is the overhead, measured
 * without the disk and lock noise that dominates {@link TelemetryOverheadBenchmark} on a shared
 * machine. {@code none} is the composed observer of a store with tracing off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TelemetryCostBenchmark {

    @Param({"none", "api", "sdk"})
    String telemetry;

    private StoreObserver observer;
    private boolean stamp;
    private OpenTelemetrySdk sdk;
    private InMemorySpanExporter spans;
    private final UUID id = UUID.randomUUID();

    @Setup(Level.Trial)
    public void open() {
        OpenTelemetry otel;
        switch (telemetry) {
            case "none" -> otel = null;
            case "api" -> otel = OpenTelemetry.noop();
            case "sdk" -> {
                spans = InMemorySpanExporter.create();
                sdk = OpenTelemetrySdk.builder()
                        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
                        .build();
                otel = sdk;
            }
            default -> throw new IllegalArgumentException("telemetry must be none, api or sdk; got " + telemetry);
        }
        // The application's observer slot and the append signal are left out: they are the same in every mode.
        observer = otel == null ? StoreObserver.NONE : StoreObserver.of(
                new TracingObserver(otel, TracingObserver.SQLITE, "bench.db", "events"),
                new MetricsObserver(otel, TracingObserver.SQLITE));
        stamp = otel != null;
    }

    @TearDown(Level.Iteration)
    public void dropSpans() {
        if (spans != null) {
            spans.reset();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
    }

    @Benchmark
    public EventMetadata append() {
        EventMetadata metadata = EventMetadata.EMPTY;
        if (stamp) {
            SpanContext current = Span.current().getSpanContext();
            if (current.isValid()) {
                metadata = EventTraceContext.stamp(metadata, current);
            }
        }
        StoreObserver.Observation seen = observer.appending(id, BenchEvents.TYPE, 1);
        seen.succeeded(1);
        return metadata;
    }
}
