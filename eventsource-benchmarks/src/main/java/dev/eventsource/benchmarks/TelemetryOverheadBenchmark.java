package dev.eventsource.benchmarks;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.sqlite.Synchronous;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import io.opentelemetry.api.OpenTelemetry;
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

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the store's telemetry on single appends (one event, new stream) to SQLite:
 * {@code none} is a store built with {@code tracing(false)} (no telemetry observer at all);
 * {@code api} has spans, metrics and trace-context stamping on, through the OpenTelemetry API with
 * no SDK ({@link OpenTelemetry#noop()}, what {@code GlobalOpenTelemetry} is when none is installed);
 * {@code sdk} sends them to an SDK with in-memory exporters (spans exported synchronously, metrics
 * kept until read), which is the cost an application pays when it collects everything.
 * Throughput is appends per second. Run the modes interleaved, several times, on a noisy machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class TelemetryOverheadBenchmark {

    @Param({"none", "api", "sdk"})
    String telemetry;

    @Param({"FULL"})
    String synchronous;

    /**
     * {@code file}: a database file (the I/O dominates and varies on a shared disk); {@code memory}:
     * {@code :memory:}, the same code with no I/O, where the telemetry's share of each append is largest.
     */
    @Param({"file"})
    String database;

    private Path file;
    private SQLiteEventStore store;
    private OpenTelemetrySdk sdk;
    private InMemorySpanExporter spans;
    private List<DomainEvent> events;

    @Setup(Level.Trial)
    public void open() throws Exception {
        file = Files.newDatabase("telemetry");
        SQLiteEventStore.Builder builder = SQLiteEventStore.builder(switch (database) {
                    case "file" -> file.toString();
                    case "memory" -> SQLiteEventStore.MEMORY;
                    default -> throw new IllegalArgumentException("database must be file or memory; got " + database);
                })
                .synchronous(Synchronous.valueOf(synchronous));
        switch (telemetry) {
            case "none" -> builder.tracing(false);
            case "api" -> builder.openTelemetry(OpenTelemetry.noop());
            case "sdk" -> {
                spans = InMemorySpanExporter.create();
                sdk = OpenTelemetrySdk.builder()
                        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
                        .build();
                builder.openTelemetry(sdk);
            }
            default -> throw new IllegalArgumentException("telemetry must be none, api or sdk; got " + telemetry);
        }
        store = builder.build();
        store.initialize();
        events = List.of(BenchEvents.event(UUID.randomUUID(), 0));
    }

    /** Keeps the exported spans from piling up across iterations. */
    @TearDown(Level.Iteration)
    public void dropSpans() {
        if (spans != null) {
            spans.reset();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        if (sdk != null) {
            sdk.close();
        }
        Files.delete(file);
    }

    @Benchmark
    public AppendResult append() {
        return store.appendEvents(UUID.randomUUID(), BenchEvents.TYPE, events, ExpectedVersion.NO_STREAM);
    }
}
