package dev.eventsource.store;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tracing and other observers are composed into a store, not built into it. */
class StoreObserverTest {

    record Noted(String text) implements DomainEvent {
    }

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    private final EventRegistry registry = new EventRegistry().register(Noted.class);

    @AfterEach
    void closeSdk() {
        openTelemetry.close();
    }

    @Test
    void appends_and_stream_reads_are_traced_through_the_injected_open_telemetry() {
        UUID id = UUID.randomUUID();
        try (InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(registry).openTelemetry(openTelemetry).build()) {
            store.appendEvents(id, "Note", List.of(new Noted("a")), ExpectedVersion.NO_STREAM);
            store.getEvents(id, "Note");
        }

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName).containsExactly("append events", "read_stream events");
        assertThat(finished).allSatisfy(span -> {
            assertThat(span.getAttributes().get(AttributeKey.stringKey("eventsource.aggregate_type"))).isEqualTo("Note");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("eventsource.aggregate_id"))).isEqualTo(id.toString());
            assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system"))).isEqualTo(TracingObserver.IN_MEMORY);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo(TracingObserver.INSTRUMENTATION);
        });
    }

    @Test
    void a_failed_append_ends_its_span_with_an_error_and_the_exception() {
        UUID id = UUID.randomUUID();
        try (InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(registry).openTelemetry(openTelemetry).build()) {
            assertThatThrownBy(() -> store.appendEvents(id, "Note", List.of(new Noted("a")), ExpectedVersion.exactly(3)))
                    .isInstanceOf(OptimisticLockException.class);
        }

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("OptimisticLockException");
        assertThat(span.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
    }

    @Test
    void a_store_built_without_tracing_emits_no_span() {
        try (InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(registry).openTelemetry(openTelemetry)
                .tracing(false).build()) {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("a")), ExpectedVersion.NO_STREAM);
        }

        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void an_observer_sees_each_operation_with_its_count_and_outcome() {
        List<String> seen = new CopyOnWriteArrayList<>();
        StoreObserver recording = new StoreObserver() {
            @Override
            public Observation appending(UUID aggregateId, String aggregateType, int events) {
                return outcome("append " + aggregateType + " x" + events, seen);
            }

            @Override
            public Observation readingStream(UUID aggregateId, String aggregateType) {
                return outcome("read " + aggregateType, seen);
            }

            @Override
            public Observation readingPage(ReadOptions options, int max) {
                return outcome("page of " + max, seen);
            }
        };
        UUID id = UUID.randomUUID();
        try (InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(registry).tracing(false).observer(recording).build()) {
            store.appendEvents(id, "Note", List.of(new Noted("a"), new Noted("b")), ExpectedVersion.NO_STREAM);
            assertThatThrownBy(() -> store.appendEvents(id, "Note", List.of(new Noted("c")), ExpectedVersion.NO_STREAM))
                    .isInstanceOf(OptimisticLockException.class);
            store.getEvents(id, "Note");
            try (Stream<StoredEvent> all = store.readAll(ReadOptions.builder().pageSize(10).build())) {
                assertThat(all.count()).isEqualTo(2);
            }
        }

        assertThat(seen).containsExactly("append Note x2 -> 2", "append Note x1 -> OptimisticLockException",
                "read Note -> 2", "page of 10 -> 2");
    }

    @Test
    void an_observer_that_throws_after_the_work_never_fails_the_append() {
        AtomicInteger after = new AtomicInteger();
        StoreObserver broken = new StoreObserver() {
            @Override
            public Observation appending(UUID aggregateId, String aggregateType, int events) {
                return outcome(() -> {
                    throw new IllegalStateException("broken observer");
                });
            }
        };
        StoreObserver counting = new StoreObserver() {
            @Override
            public Observation appending(UUID aggregateId, String aggregateType, int events) {
                return outcome(after::incrementAndGet);
            }
        };
        try (InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(registry).tracing(false)
                .observer(StoreObserver.of(broken, counting)).build()) {
            AppendResult result = store.appendEvents(UUID.randomUUID(), "Note", List.of(new Noted("a")), ExpectedVersion.NO_STREAM);

            assertThat(result.globalPosition()).isEqualTo(1);
            assertThat(store.globalPosition()).isEqualTo(1);
        }
        assertThat(after).hasValue(1);
    }

    @Test
    void the_in_process_append_signal_fires_after_appends_that_carry_events_until_closed() {
        AtomicInteger woken = new AtomicInteger();
        try (InMemoryEventStore store = new InMemoryEventStore(registry)) {
            var registration = store.appendSignal().onAppend(woken::incrementAndGet);
            UUID id = UUID.randomUUID();
            store.appendEvents(id, "Note", List.of(new Noted("a")), ExpectedVersion.NO_STREAM);
            store.appendEvents(id, "Note", List.of(), ExpectedVersion.exactly(1));
            registration.close();
            store.appendEvents(id, "Note", List.of(new Noted("b")), ExpectedVersion.exactly(1));
        }

        assertThat(woken).hasValue(1);
    }

    private static StoreObserver.Observation outcome(String what, List<String> seen) {
        return new StoreObserver.Observation() {
            @Override
            public void succeeded(int events) {
                seen.add(what + " -> " + events);
            }

            @Override
            public void failed(Throwable error) {
                seen.add(what + " -> " + error.getClass().getSimpleName());
            }
        };
    }

    private static StoreObserver.Observation outcome(Runnable onSuccess) {
        return new StoreObserver.Observation() {
            @Override
            public void succeeded(int events) {
                onSuccess.run();
            }

            @Override
            public void failed(Throwable error) {
            }
        };
    }
}
