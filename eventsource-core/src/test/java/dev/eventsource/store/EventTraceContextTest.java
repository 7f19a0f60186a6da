package dev.eventsource.store;

import dev.eventsource.event.EventMetadata;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trace context an event carries in its metadata, written and read back. */
class EventTraceContextTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void a_span_context_round_trips_through_the_metadata_with_its_trace_state() {
        SpanContext producer = SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
                TraceState.builder().put("vendor", "x1").put("other", "y2").build());

        EventMetadata stamped = EventTraceContext.stamp(EventMetadata.EMPTY.withTenantId("acme"), producer);

        assertThat(stamped.tenantId()).isEqualTo("acme");
        assertThat(stamped.traceparent()).contains("00-" + TRACE + "-" + SPAN + "-01");
        SpanContext back = EventTraceContext.spanContext(stamped).orElseThrow();
        assertThat(back.getTraceId()).isEqualTo(TRACE);
        assertThat(back.getSpanId()).isEqualTo(SPAN);
        assertThat(back.isSampled()).isTrue();
        assertThat(back.isRemote()).isTrue();
        assertThat(back.getTraceState().asMap()).isEqualTo(Map.of("vendor", "x1", "other", "y2"));
    }

    @Test
    void an_invalid_span_context_stamps_nothing() {
        assertThat(EventTraceContext.stamp(EventMetadata.EMPTY, SpanContext.getInvalid())).isSameAs(EventMetadata.EMPTY);
    }

    @Test
    void a_traceparent_the_metadata_already_has_is_kept() {
        EventMetadata upstream = EventMetadata.EMPTY.withTraceContext("00-" + TRACE + "-" + SPAN + "-00", null);
        SpanContext other = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());

        assertThat(EventTraceContext.stamp(upstream, other)).isSameAs(upstream);
    }

    @Test
    void a_malformed_traceparent_is_refused_with_an_example_of_the_right_form() {
        assertThatThrownBy(() -> EventMetadata.EMPTY.withTraceContext("00-" + TRACE.toUpperCase() + "-" + SPAN + "-01", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case hex");
        assertThatThrownBy(() -> EventMetadata.EMPTY.withTraceContext("00-" + "0".repeat(32) + "-" + SPAN + "-01", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventMetadata.EMPTY.withTraceContext("ff-" + TRACE + "-" + SPAN + "-01", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void garbage_stored_under_the_traceparent_key_reads_as_no_trace_context_rather_than_failing() {
        EventMetadata stored = EventMetadata.EMPTY.withExtra(EventMetadata.TRACEPARENT, "garbage")
                .withExtra(EventMetadata.TRACESTATE, "a=b");

        assertThat(stored.traceparent()).isEmpty();
        assertThat(stored.tracestate()).isEmpty();
        assertThat(EventTraceContext.spanContext(stored)).isEmpty();
    }

    @Test
    void a_db_system_name_that_is_a_description_is_refused_naming_the_expected_form() {
        assertThatThrownBy(() -> new TracingObserver(io.opentelemetry.api.OpenTelemetry.noop(), "SQLiteEventStore(./x.db)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"sqlite\"");
        assertThatThrownBy(() -> new MetricsObserver(io.opentelemetry.api.OpenTelemetry.noop(), "PostgreSQL"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_group_commit_of_no_append_is_refused() {
        MetricsObserver metrics = new MetricsObserver(io.opentelemetry.api.OpenTelemetry.noop(), TracingObserver.SQLITE);

        assertThatThrownBy(() -> metrics.recordGroupCommit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one append");
    }
}
