package dev.eventsource.store;

import dev.eventsource.event.EventMetadata;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The W3C trace context an event carries in its metadata ({@link EventMetadata#traceparent()},
 * {@link EventMetadata#tracestate()}): written by a store with tracing on when a span is current at
 * append, read back here by consumers so that their span links to the producer's (a subscription's
 * batch span, a bus consumer) or continues its trace.
 *
 * <p>Parsing goes through the API's {@link W3CTraceContextPropagator}, so what it accepts is
 * exactly what the W3C specification accepts; a missing or malformed value gives an empty result,
 * never an exception: an event's trace context is a hint, and consuming it must not fail a handler.
 */
public final class EventTraceContext {

    /** The most links {@link #addLinks} adds to one span: the SDK's default span limit. */
    public static final int MAX_LINKS = 128;

    private static final TextMapGetter<Map<String, String>> EXTRAS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private EventTraceContext() {
    }

    /**
     * {@code metadata} with the trace context of {@code span}, if that span context is valid and
     * {@code metadata} carries no traceparent yet (one set by the caller, or copied by a migration,
     * wins); {@code metadata} itself otherwise.
     */
    public static EventMetadata stamp(EventMetadata metadata, SpanContext span) {
        Objects.requireNonNull(metadata, "metadata");
        if (span == null || !span.isValid() || metadata.extras().containsKey(EventMetadata.TRACEPARENT)) {
            return metadata;
        }
        return metadata.withTraceContext(traceparent(span), tracestate(span.getTraceState()));
    }

    /** The W3C {@code traceparent} header value of {@code span}. */
    public static String traceparent(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /**
     * The producing span's context, as a remote span context, if {@code event} carries a valid
     * traceparent; empty otherwise.
     */
    public static Optional<SpanContext> spanContext(StoredEvent event) {
        return spanContext(Objects.requireNonNull(event, "event").metadata());
    }

    /** As {@link #spanContext(StoredEvent)}, from the metadata alone. */
    public static Optional<SpanContext> spanContext(EventMetadata metadata) {
        Optional<String> traceparent = metadata.traceparent();
        if (traceparent.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> headers = new HashMap<>(2);
        headers.put(EventMetadata.TRACEPARENT, traceparent.get());
        metadata.tracestate().ifPresent(state -> headers.put(EventMetadata.TRACESTATE, state));
        SpanContext context = Span.fromContext(W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), headers, EXTRAS)).getSpanContext();
        return context.isValid() ? Optional.of(context) : Optional.empty();
    }

    /**
     * A context whose parent is the producing span, to continue the producer's trace (a span started
     * with {@code setParent(context(event))} is its child); {@link Context#root()} if the event
     * carries none. Consumers that handle many events at once should rather {@link #addLinks link}.
     */
    public static Context context(StoredEvent event) {
        return spanContext(event).map(span -> Context.root().with(Span.wrap(span))).orElse(Context.root());
    }

    /**
     * Adds to {@code span} one link per distinct producing span among {@code events} (at most
     * {@link #MAX_LINKS}); events without a trace context are skipped.
     *
     * @return the number of links added
     */
    public static int addLinks(SpanBuilder span, Iterable<StoredEvent> events) {
        Objects.requireNonNull(span, "span");
        java.util.Set<String> seen = new java.util.HashSet<>();
        int added = 0;
        for (StoredEvent event : events) {
            if (added == MAX_LINKS) {
                break;
            }
            Optional<SpanContext> producer = spanContext(event);
            if (producer.isPresent() && seen.add(producer.get().getSpanId() + producer.get().getTraceId())) {
                span.addLink(producer.get());
                added++;
            }
        }
        return added;
    }

    private static String tracestate(TraceState state) {
        if (state == null || state.isEmpty()) {
            return null;
        }
        StringBuilder header = new StringBuilder();
        state.forEach((key, value) -> {
            if (header.length() > 0) {
                header.append(',');
            }
            header.append(key).append('=').append(value);
        });
        return header.toString();
    }
}
