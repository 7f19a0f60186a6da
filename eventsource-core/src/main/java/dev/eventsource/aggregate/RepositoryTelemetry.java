package dev.eventsource.aggregate;

import dev.eventsource.store.MetricsObserver;
import dev.eventsource.store.TracingObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.util.UUID;

/**
 * A repository's spans and snapshot metrics. Spans are {@code INTERNAL} (the store's and snapshot
 * store's database spans nest under them): {@code load <type>} with {@code eventsource.snapshot}
 * ({@code hit}, {@code miss}, {@code ignored}, or {@code none} without a snapshot store) and
 * {@code eventsource.snapshot.ignored_reason}; {@code save <type>} with
 * {@code eventsource.event_count}; {@code read_snapshot <type>} and {@code write_snapshot <type>}.
 * Metrics: {@code eventsource.snapshot.loads} and {@code eventsource.snapshot.writes}.
 */
final class RepositoryTelemetry {

    static final AttributeKey<String> SNAPSHOT = AttributeKey.stringKey("eventsource.snapshot");
    static final AttributeKey<String> IGNORED_REASON = AttributeKey.stringKey("eventsource.snapshot.ignored_reason");
    static final AttributeKey<Long> VERSION = AttributeKey.longKey("eventsource.aggregate_version");

    private final Tracer tracer;
    private final String aggregateType;
    private final LongCounter loads;
    private final LongCounter writes;
    private final Attributes hit;
    private final Attributes miss;
    private final Attributes written;
    private final Attributes notWritten;

    RepositoryTelemetry(OpenTelemetry openTelemetry, String aggregateType) {
        this.tracer = openTelemetry.getTracer(TracingObserver.INSTRUMENTATION);
        this.aggregateType = aggregateType;
        Meter meter = openTelemetry.getMeter(TracingObserver.INSTRUMENTATION);
        this.loads = meter.counterBuilder("eventsource.snapshot.loads").setUnit("{load}")
                .setDescription("Repository loads with a snapshot store, by snapshot outcome").build();
        this.writes = meter.counterBuilder("eventsource.snapshot.writes").setUnit("{snapshot}")
                .setDescription("Snapshots written or failed").build();
        this.hit = outcome("hit");
        this.miss = outcome("miss");
        this.written = outcome("ok");
        this.notWritten = outcome("error");
    }

    private Attributes outcome(String value) {
        return Attributes.of(TracingObserver.AGGREGATE_TYPE, aggregateType, MetricsObserver.OUTCOME, value);
    }

    /** Starts an operation's span and makes it current; end it with exactly one of its methods. */
    Operation start(String operation, UUID aggregateId) {
        Span span = tracer.spanBuilder(operation + " " + aggregateType).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(TracingObserver.AGGREGATE_TYPE, aggregateType)
                .setAttribute(TracingObserver.AGGREGATE_ID, aggregateId.toString())
                .startSpan();
        return new Operation(span, span.makeCurrent());
    }

    void snapshotHit(Operation load) {
        load.span.setAttribute(SNAPSHOT, "hit");
        loads.add(1, hit);
    }

    void snapshotMiss(Operation load) {
        load.span.setAttribute(SNAPSHOT, "miss");
        loads.add(1, miss);
    }

    void snapshotIgnored(Operation load, String reason) {
        load.span.setAttribute(SNAPSHOT, "ignored");
        load.span.setAttribute(IGNORED_REASON, reason);
        loads.add(1, Attributes.of(TracingObserver.AGGREGATE_TYPE, aggregateType, MetricsObserver.OUTCOME, "ignored",
                IGNORED_REASON, reason));
    }

    void snapshotWritten(boolean ok) {
        writes.add(1, ok ? written : notWritten);
    }

    /** One traced operation: its span, current until it ends. */
    static final class Operation {
        final Span span;
        private final Scope scope;

        private Operation(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        void succeeded() {
            scope.close();
            span.end();
        }

        void failed(Throwable error) {
            span.setAttribute(TracingObserver.ERROR_TYPE, error.getClass().getName());
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
            scope.close();
            span.end();
        }
    }
}
