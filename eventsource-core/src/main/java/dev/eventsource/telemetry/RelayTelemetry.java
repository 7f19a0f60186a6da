package dev.eventsource.telemetry;

import dev.eventsource.store.MetricsObserver;
import dev.eventsource.store.TracingObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The OpenTelemetry {@link RelayObserver}: one span per published batch and the relay instruments.
 * What an {@link dev.eventsource.relay.EventRelay} uses unless given another observer, on
 * {@link io.opentelemetry.api.GlobalOpenTelemetry} (a no-op until an SDK is installed).
 *
 * <p><b>Span</b>: {@code publish <relay>}, kind {@code PRODUCER}, from the hand-over to the
 * publisher until it acknowledged or refused the batch; attributes {@code eventsource.relay},
 * {@code messaging.operation.type} = {@code publish}, {@code messaging.batch.message_count},
 * {@code eventsource.position.first}, {@code eventsource.position.last} and, at the end,
 * {@code eventsource.outcome} ({@code acknowledged} or {@code failed}); a failed batch has status
 * {@code ERROR}, {@code error.type} and the exception recorded as a span event.
 *
 * <p><b>Metrics</b>, each with {@code eventsource.relay}: {@code eventsource.relay.events.published}
 * (acknowledged events, duplicates after a retry included), {@code eventsource.relay.events.failed}
 * (events of refused batches, with {@code error.type}) (counters), {@code eventsource.relay.batch.duration}
 * (histogram, s, hand-over to acknowledgement), and, observed at collection from what
 * {@link #register} was given, {@code eventsource.relay.lag.events} and
 * {@code eventsource.relay.position} (gauges; reported by the active instance only, so that
 * standbys do not double the lag).
 *
 * <p>Thread-safe. {@link #close()} stops reporting the gauges.
 */
public final class RelayTelemetry implements RelayObserver, AutoCloseable {

    /** The relay's name on every span and instrument. */
    public static final AttributeKey<String> RELAY = AttributeKey.stringKey("eventsource.relay");
    /** {@code acknowledged} or {@code failed}, at the end of a batch's span. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("eventsource.outcome");

    private final Tracer tracer;
    private final LongCounter published;
    private final LongCounter failed;
    private final DoubleHistogram batchDuration;
    private final BatchCallback gauges;
    private final Watched<State> watched = new Watched<>("relay", RELAY);

    /** Spans and metrics through {@code openTelemetry}. */
    public RelayTelemetry(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        this.tracer = openTelemetry.getTracer(TracingObserver.INSTRUMENTATION);
        Meter meter = openTelemetry.getMeter(TracingObserver.INSTRUMENTATION);
        this.published = meter.counterBuilder("eventsource.relay.events.published").setUnit("{event}")
                .setDescription("Events a relay's publisher acknowledged").build();
        this.failed = meter.counterBuilder("eventsource.relay.events.failed").setUnit("{event}")
                .setDescription("Events of batches the publisher refused (published again after a backoff)").build();
        this.batchDuration = meter.histogramBuilder("eventsource.relay.batch.duration").setUnit("s")
                .setDescription("Time from handing a batch to the publisher to its acknowledgement")
                .setExplicitBucketBoundariesAdvice(MetricsObserver.DURATION_BUCKETS).build();
        ObservableLongMeasurement lagEvents = meter.gaugeBuilder("eventsource.relay.lag.events").ofLongs()
                .setUnit("{event}").setDescription("Events in the log after the relay's last acknowledged position")
                .buildObserver();
        ObservableLongMeasurement position = meter.gaugeBuilder("eventsource.relay.position").ofLongs()
                .setUnit("{position}").setDescription("Global position of the last event the publisher acknowledged")
                .buildObserver();
        this.gauges = meter.batchCallback(() -> watched.forEachRunning((state, a) -> {
            if (state.active()) {
                lagEvents.record(state.lagEvents(), a);
                position.record(state.publishedPosition(), a);
            }
        }), lagEvents, position);
    }

    @Override
    public Batch publishingBatch(String relay, int events, long firstPosition, long lastPosition) {
        Attributes a = attributes(relay);
        Span span = tracer.spanBuilder("publish " + relay).setSpanKind(SpanKind.PRODUCER)
                .setAllAttributes(a)
                .setAttribute(SubscriptionTelemetry.OPERATION_TYPE, "publish")
                .setAttribute(SubscriptionTelemetry.BATCH_COUNT, (long) events)
                .setAttribute(SubscriptionTelemetry.FIRST, firstPosition)
                .setAttribute(SubscriptionTelemetry.LAST, lastPosition)
                .startSpan();
        long start = System.nanoTime();
        return new Batch() {
            @Override
            public void acknowledged() {
                span.setAttribute(OUTCOME, "acknowledged");
                published.add(events, a);
                batchDuration.record((System.nanoTime() - start) / 1e9, a);
                span.end();
            }

            @Override
            public void failed(Throwable error) {
                String type = error.getClass().getName();
                span.setAttribute(OUTCOME, "failed");
                span.setAttribute(TracingObserver.ERROR_TYPE, type);
                span.recordException(error);
                span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                failed.add(events, a.toBuilder().put(TracingObserver.ERROR_TYPE, type).build());
                batchDuration.record((System.nanoTime() - start) / 1e9, a);
                span.end();
            }
        };
    }

    /**
     * @throws IllegalStateException if a relay of that name is registered and not yet closed
     */
    @Override
    public AutoCloseable register(String relay, Supplier<State> state) {
        return watched.register(relay, state);
    }

    private Attributes attributes(String relay) {
        return watched.attributes(relay);
    }

    /** Stops reporting the gauges; spans and counters keep working. */
    @Override
    public void close() {
        gauges.close();
        watched.clear();
    }

    @Override
    public String toString() {
        return "RelayTelemetry";
    }
}
