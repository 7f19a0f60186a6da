package dev.eventsource.store;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.util.Objects;
import java.util.UUID;

/**
 * OpenTelemetry spans for a store's appends ({@code eventsource.append}) and stream reads
 * ({@code eventsource.read_stream}), with the attributes {@code eventsource.aggregate_type},
 * {@code eventsource.aggregate_id} and {@code db.system}; a span that ends in an exception records
 * it and has status {@code ERROR}. Global-log pages are not traced. The span is current while the
 * store works, so driver instrumentation nests under it.
 *
 * <p>The stores build one from their builder's {@code openTelemetry(...)} option (default
 * {@link io.opentelemetry.api.GlobalOpenTelemetry}); without an SDK installed the spans cost next
 * to nothing.
 */
public final class TracingObserver implements StoreObserver {

    /** The instrumentation scope name of the spans. */
    public static final String INSTRUMENTATION = "dev.eventsource";

    private final Tracer tracer;
    private final String system;

    /**
     * @param openTelemetry where spans go
     * @param system        the value of {@code db.system}: the store's description
     */
    public TracingObserver(OpenTelemetry openTelemetry, String system) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION);
        this.system = Objects.requireNonNull(system, "system");
    }

    @Override
    public Observation appending(UUID aggregateId, String aggregateType, int events) {
        return start("eventsource.append", aggregateId, aggregateType);
    }

    @Override
    public Observation readingStream(UUID aggregateId, String aggregateType) {
        return start("eventsource.read_stream", aggregateId, aggregateType);
    }

    private Observation start(String name, UUID aggregateId, String aggregateType) {
        Span span = tracer.spanBuilder(name)
                .setAttribute("eventsource.aggregate_type", aggregateType)
                .setAttribute("eventsource.aggregate_id", aggregateId.toString())
                .setAttribute("db.system", system)
                .startSpan();
        Scope scope = span.makeCurrent();
        return new Observation() {
            @Override
            public void succeeded(int events) {
                scope.close();
                span.end();
            }

            @Override
            public void failed(Throwable error) {
                if (error instanceof RuntimeException) {
                    span.recordException(error);
                    span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                }
                scope.close();
                span.end();
            }
        };
    }

    @Override
    public String toString() {
        return "TracingObserver(" + system + ")";
    }
}
