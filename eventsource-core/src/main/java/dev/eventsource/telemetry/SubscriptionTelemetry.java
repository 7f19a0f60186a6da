package dev.eventsource.telemetry;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.EventTraceContext;
import dev.eventsource.store.MetricsObserver;
import dev.eventsource.store.TracingObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The OpenTelemetry {@link SubscriptionObserver}: one span per batch, linked to the spans that
 * appended its events, and the subscription instruments.
 *
 * <p><b>Span</b>: {@code process <subscription>}, kind {@code CONSUMER}, attributes
 * {@code eventsource.subscription}, {@code messaging.operation.type} = {@code process},
 * {@code messaging.batch.message_count}, {@code eventsource.position.first} and
 * {@code eventsource.position.last}, and at the end {@code eventsource.events.processed} and
 * {@code eventsource.events.dead_lettered}; one link per distinct producing span (from each event's
 * {@code traceparent}, at most {@link EventTraceContext#MAX_LINKS}); a batch that fails has status
 * {@code ERROR} and {@code error.type}.
 *
 * <p><b>Metrics</b>, each with {@code eventsource.subscription}: {@code eventsource.subscription.events.processed},
 * {@code .events.failed} (per failed attempt, with {@code error.type}), {@code .events.dead_lettered}
 * (counters), {@code eventsource.subscription.batch.duration} (histogram, s), and, observed at
 * collection from what {@link #register} was given, {@code eventsource.subscription.lag.events},
 * {@code eventsource.subscription.lag} (s) and {@code eventsource.subscription.dead_letters} (gauges).
 *
 * <p>Thread-safe. {@link #close()} stops reporting the gauges.
 */
public final class SubscriptionTelemetry implements SubscriptionObserver, AutoCloseable {

    public static final AttributeKey<String> SUBSCRIPTION = AttributeKey.stringKey("eventsource.subscription");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    static final AttributeKey<Long> FIRST = AttributeKey.longKey("eventsource.position.first");
    static final AttributeKey<Long> LAST = AttributeKey.longKey("eventsource.position.last");
    static final AttributeKey<Long> PROCESSED = AttributeKey.longKey("eventsource.events.processed");
    static final AttributeKey<Long> DEAD_LETTERED = AttributeKey.longKey("eventsource.events.dead_lettered");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("eventsource.event_type");

    private final Tracer tracer;
    private final LongCounter processed;
    private final LongCounter failed;
    private final LongCounter deadLettered;
    private final DoubleHistogram batchDuration;
    private final BatchCallback gauges;
    private final Watched<State> watched = new Watched<>("subscription", SUBSCRIPTION);

    /** Spans and metrics through {@code openTelemetry}. */
    public SubscriptionTelemetry(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        this.tracer = openTelemetry.getTracer(TracingObserver.INSTRUMENTATION);
        Meter meter = openTelemetry.getMeter(TracingObserver.INSTRUMENTATION);
        this.processed = meter.counterBuilder("eventsource.subscription.events.processed").setUnit("{event}")
                .setDescription("Events a subscription handled").build();
        this.failed = meter.counterBuilder("eventsource.subscription.events.failed").setUnit("{attempt}")
                .setDescription("Failed delivery attempts (retried or dead-lettered)").build();
        this.deadLettered = meter.counterBuilder("eventsource.subscription.events.dead_lettered").setUnit("{event}")
                .setDescription("Events sent to the dead-letter store").build();
        this.batchDuration = meter.histogramBuilder("eventsource.subscription.batch.duration").setUnit("s")
                .setDescription("Time to handle one batch").setExplicitBucketBoundariesAdvice(MetricsObserver.DURATION_BUCKETS)
                .build();
        ObservableLongMeasurement lagEvents = meter.gaugeBuilder("eventsource.subscription.lag.events").ofLongs()
                .setUnit("{event}").setDescription("Events in the log after the subscription's position").buildObserver();
        ObservableDoubleMeasurement lag = meter.gaugeBuilder("eventsource.subscription.lag").setUnit("s")
                .setDescription("How long the oldest unprocessed event has waited").buildObserver();
        ObservableLongMeasurement letters = meter.gaugeBuilder("eventsource.subscription.dead_letters").ofLongs()
                .setUnit("{event}").setDescription("Unresolved dead letters of the subscription").buildObserver();
        this.gauges = meter.batchCallback(() -> watched.forEachRunning((state, a) -> {
            lagEvents.record(state.lagEvents(), a);
            lag.record(state.lag().toNanos() / 1e9, a);
            letters.record(state.deadLetters(), a);
        }), lagEvents, lag, letters);
    }

    @Override
    public Batch handlingBatch(String subscription, int events, long firstPosition, long lastPosition,
                               List<String> producerTraceparents) {
        Attributes a = attributes(subscription);
        SpanBuilder builder = tracer.spanBuilder("process " + subscription).setSpanKind(SpanKind.CONSUMER)
                .setAllAttributes(a)
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(BATCH_COUNT, (long) events)
                .setAttribute(FIRST, firstPosition)
                .setAttribute(LAST, lastPosition);
        int links = 0;
        for (String traceparent : producerTraceparents) {
            if (links == EventTraceContext.MAX_LINKS) {
                break;
            }
            if (EventMetadata.isValidTraceparent(traceparent)) {
                var producer = EventTraceContext.spanContext(EventMetadata.EMPTY.withTraceContext(traceparent, null));
                if (producer.isPresent()) {
                    builder.addLink(producer.get());
                    links++;
                }
            }
        }
        Span span = builder.startSpan();
        Scope scope = span.makeCurrent();
        long start = System.nanoTime();
        return new Batch() {
            @Override
            public void handled(int handled, int letters) {
                span.setAttribute(PROCESSED, (long) handled);
                span.setAttribute(DEAD_LETTERED, (long) letters);
                processed.add(handled, a);
                batchDuration.record((System.nanoTime() - start) / 1e9, a);
                scope.close();
                span.end();
            }

            @Override
            public void failed(Throwable error) {
                span.setAttribute(TracingObserver.ERROR_TYPE, error.getClass().getName());
                span.recordException(error);
                span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                batchDuration.record((System.nanoTime() - start) / 1e9, a);
                scope.close();
                span.end();
            }
        };
    }

    @Override
    public void attemptFailed(String subscription, String eventType, Throwable error) {
        failed.add(1, attributes(subscription).toBuilder().put(TracingObserver.ERROR_TYPE, error.getClass().getName())
                .put(EVENT_TYPE, eventType).build());
    }

    @Override
    public void deadLettered(String subscription, String eventType) {
        deadLettered.add(1, attributes(subscription).toBuilder().put(EVENT_TYPE, eventType).build());
    }

    /**
     * @throws IllegalStateException if a subscription of that name is registered and not yet closed
     */
    @Override
    public AutoCloseable register(String subscription, Supplier<State> state) {
        return watched.register(subscription, state);
    }

    private Attributes attributes(String subscription) {
        return watched.attributes(subscription);
    }

    /** Stops reporting the gauges; spans and counters keep working. */
    @Override
    public void close() {
        gauges.close();
        watched.clear();
    }

    @Override
    public String toString() {
        return "SubscriptionTelemetry";
    }
}
