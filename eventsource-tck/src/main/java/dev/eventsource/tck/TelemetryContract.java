package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventTraceContext;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.TracingObserver;
import dev.eventsource.telemetry.SubscriptionObserver;
import dev.eventsource.telemetry.SubscriptionTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a backend exports to OpenTelemetry, asserted on the SDK's in-memory exporters: database
 * client spans named and attributed by the semantic conventions for append, stream read and
 * global-log pages; the trace context stored with each event and linked to by a consumer; the
 * append and read metrics; a repository's load and save spans as parents of the store's spans, with
 * the snapshot outcome, and the snapshot metrics.
 *
 * <p>A backend implements: a fresh store sending its telemetry to the given {@code OpenTelemetry},
 * the snapshot store beside it, and the values its spans must carry ({@code db.system.name} and the
 * events collection). {@link SqlTelemetryContract} adds the shared SQL stores' spans.
 */
public abstract class TelemetryContract {

    /** A new, empty store using {@code registry}, whose spans and metrics go to {@code openTelemetry}. */
    protected abstract EventStore newEventStore(EventRegistry registry, OpenTelemetrySdk openTelemetry);

    /** The snapshot store that lives beside {@code store}. */
    protected abstract SnapshotStore snapshotStoreFor(EventStore store);

    /** The {@code db.system.name} the store's spans carry, e.g. {@code "sqlite"}. */
    protected abstract String expectedSystem();

    /** The {@code db.collection.name} of the store's event operations, e.g. {@code "events"}. */
    protected abstract String expectedEventsCollection();

    protected final InMemorySpanExporter spans = InMemorySpanExporter.create();
    protected final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    protected final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
    protected EventStore store;

    @BeforeEach
    final void openStore() {
        store = newEventStore(TckAccount.registry(), openTelemetry);
        store.initialize();
        spans.reset();
    }

    @AfterEach
    final void closeStore() {
        store.close();
        openTelemetry.close();
    }

    private Tracer applicationTracer() {
        return openTelemetry.getTracer("application");
    }

    protected final List<SpanData> spansNamed(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    protected final SpanData onlySpanNamed(String name) {
        List<SpanData> found = spansNamed(name);
        assertThat(found).as("spans named " + name + " among " + spans.getFinishedSpanItems().stream().map(SpanData::getName).toList())
                .hasSize(1);
        return found.get(0);
    }

    protected final void assertDatabaseClientSpan(SpanData span, String operation, String collection) {
        assertThat(span.getName()).isEqualTo(operation + " " + collection);
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        Attributes a = span.getAttributes();
        assertThat(a.get(AttributeKey.stringKey("db.system.name"))).isEqualTo(expectedSystem());
        assertThat(a.get(AttributeKey.stringKey("db.system"))).isEqualTo(expectedSystem());
        assertThat(a.get(AttributeKey.stringKey("db.operation.name"))).isEqualTo(operation);
        assertThat(a.get(AttributeKey.stringKey("db.collection.name"))).isEqualTo(collection);
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo(TracingObserver.INSTRUMENTATION);
    }

    private void deposit(UUID id, ExpectedVersion expected, long... amounts) {
        List<NewEvent> events = new java.util.ArrayList<>();
        for (long amount : amounts) {
            events.add(NewEvent.of(new TckAccount.Deposited(amount)));
        }
        store.append(id, TckAccount.TYPE, events, expected);
    }

    @Test
    void an_append_is_a_database_client_span_named_by_the_conventions() {
        UUID id = UUID.randomUUID();
        deposit(id, ExpectedVersion.NO_STREAM, 1, 2);

        SpanData append = onlySpanNamed("append " + expectedEventsCollection());
        assertDatabaseClientSpan(append, "append", expectedEventsCollection());
        assertThat(append.getAttributes().get(TracingObserver.AGGREGATE_TYPE)).isEqualTo(TckAccount.TYPE);
        assertThat(append.getAttributes().get(TracingObserver.AGGREGATE_ID)).isEqualTo(id.toString());
        assertThat(append.getAttributes().get(TracingObserver.EVENT_COUNT)).isEqualTo(2L);
        assertThat(append.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void a_stream_read_and_each_global_log_page_are_client_spans_with_the_rows_returned() {
        UUID id = UUID.randomUUID();
        deposit(id, ExpectedVersion.NO_STREAM, 1, 2, 3);
        store.getEvents(id, TckAccount.TYPE);
        try (Stream<StoredEvent> all = store.readAll(ReadOptions.builder().pageSize(2).build())) {
            assertThat(all.count()).isEqualTo(3);
        }

        SpanData read = onlySpanNamed("read_stream " + expectedEventsCollection());
        assertDatabaseClientSpan(read, "read_stream", expectedEventsCollection());
        assertThat(read.getAttributes().get(TracingObserver.DB_RETURNED_ROWS)).isEqualTo(3L);
        List<SpanData> pages = spansNamed("read_all " + expectedEventsCollection());
        assertThat(pages).hasSize(2);
        assertDatabaseClientSpan(pages.get(0), "read_all", expectedEventsCollection());
        assertThat(pages).extracting(p -> p.getAttributes().get(TracingObserver.DB_RETURNED_ROWS)).containsExactly(2L, 1L);
    }

    @Test
    void an_empty_global_log_page_leaves_no_span_so_that_idle_polling_does_not_flood_traces() {
        deposit(UUID.randomUUID(), ExpectedVersion.NO_STREAM, 1);
        long head;
        try (Stream<StoredEvent> all = store.readAll(ReadOptions.builder().build())) {
            head = all.reduce((a, b) -> b).orElseThrow().globalPosition();
        }
        spans.reset();

        for (int poll = 0; poll < 3; poll++) {
            try (Stream<StoredEvent> after = store.readAll(ReadOptions.builder().fromPosition(head).build())) {
                assertThat(after.count()).isZero();
            }
        }

        assertThat(spansNamed("read_all " + expectedEventsCollection())).isEmpty();
    }

    @Test
    void a_refused_append_ends_its_span_with_error_type_and_status() {
        UUID id = UUID.randomUUID();
        deposit(id, ExpectedVersion.NO_STREAM, 1);
        spans.reset();

        assertThatThrownBy(() -> deposit(id, ExpectedVersion.NO_STREAM, 2)).isInstanceOf(OptimisticLockException.class);

        SpanData span = onlySpanNamed("append " + expectedEventsCollection());
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(TracingObserver.ERROR_TYPE)).isEqualTo(OptimisticLockException.class.getName());
        assertThat(span.getEvents()).extracting(e -> e.getName()).contains("exception");
    }

    @Test
    void an_append_inside_a_span_stores_that_spans_trace_context_and_nests_its_own_span_under_it() {
        UUID id = UUID.randomUUID();
        Span command = applicationTracer().spanBuilder("handle command").startSpan();
        try (Scope ignored = command.makeCurrent()) {
            deposit(id, ExpectedVersion.NO_STREAM, 5);
        } finally {
            command.end();
        }

        StoredEvent stored = store.getEvents(id, TckAccount.TYPE).events().get(0);
        SpanContext producer = command.getSpanContext();
        assertThat(stored.metadata().traceparent()).contains(EventTraceContext.traceparent(producer));
        Optional<SpanContext> linked = EventTraceContext.spanContext(stored);
        assertThat(linked).isPresent();
        assertThat(linked.get().getTraceId()).isEqualTo(producer.getTraceId());
        assertThat(linked.get().getSpanId()).isEqualTo(producer.getSpanId());
        assertThat(linked.get().isRemote()).isTrue();
        SpanData append = onlySpanNamed("append " + expectedEventsCollection());
        assertThat(append.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(append.getTraceId()).isEqualTo(producer.getTraceId());
    }

    @Test
    void an_append_without_a_current_span_stores_no_trace_context() {
        UUID id = UUID.randomUUID();
        deposit(id, ExpectedVersion.NO_STREAM, 5);

        StoredEvent stored = store.getEvents(id, TckAccount.TYPE).events().get(0);
        assertThat(stored.metadata().traceparent()).isEmpty();
        assertThat(stored.metadata().extras()).doesNotContainKey(EventMetadata.TRACEPARENT);
        assertThat(EventTraceContext.spanContext(stored)).isEmpty();
    }

    @Test
    void a_trace_context_the_caller_set_is_kept_rather_than_replaced() {
        UUID id = UUID.randomUUID();
        String upstream = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Span command = applicationTracer().spanBuilder("relay").startSpan();
        try (Scope ignored = command.makeCurrent()) {
            store.append(id, TckAccount.TYPE, List.of(NewEvent.of(new TckAccount.Deposited(1),
                    EventMetadata.EMPTY.withTraceContext(upstream, "vendor=abc"))), ExpectedVersion.NO_STREAM);
        } finally {
            command.end();
        }

        EventMetadata stored = store.getEvents(id, TckAccount.TYPE).events().get(0).metadata();
        assertThat(stored.traceparent()).contains(upstream);
        assertThat(stored.tracestate()).contains("vendor=abc");
        assertThat(EventTraceContext.spanContext(stored).orElseThrow().getTraceState().get("vendor")).isEqualTo("abc");
    }

    @Test
    void a_subscription_batch_span_links_to_the_span_that_appended_its_events() {
        UUID id = UUID.randomUUID();
        Span command = applicationTracer().spanBuilder("place order").startSpan();
        try (Scope ignored = command.makeCurrent()) {
            deposit(id, ExpectedVersion.NO_STREAM, 1, 2);
        } finally {
            command.end();
        }
        List<StoredEvent> batch;
        try (Stream<StoredEvent> all = store.readAll(ReadOptions.builder().build())) {
            batch = all.toList();
        }
        List<String> producers = batch.stream().map(e -> e.metadata().traceparent()).flatMap(Optional::stream)
                .distinct().toList();

        try (SubscriptionTelemetry telemetry = new SubscriptionTelemetry(openTelemetry)) {
            SubscriptionObserver.Batch seen = telemetry.handlingBatch("orders", batch.size(),
                    batch.get(0).globalPosition(), batch.get(1).globalPosition(), producers);
            seen.handled(2, 0);
        }

        SpanData process = onlySpanNamed("process orders");
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getLinks()).hasSize(1);
        assertThat(process.getLinks().get(0).getSpanContext().getSpanId()).isEqualTo(command.getSpanContext().getSpanId());
        assertThat(process.getLinks().get(0).getSpanContext().getTraceId()).isEqualTo(command.getSpanContext().getTraceId());
        assertThat(process.getTraceId()).isNotEqualTo(command.getSpanContext().getTraceId());
    }

    @Test
    void append_metrics_count_appends_events_and_conflicts_and_time_each_append() {
        UUID id = UUID.randomUUID();
        deposit(id, ExpectedVersion.NO_STREAM, 1, 2);
        deposit(id, ExpectedVersion.exactly(2), 3);
        assertThatThrownBy(() -> deposit(id, ExpectedVersion.exactly(1), 4)).isInstanceOf(OptimisticLockException.class);

        Collection<MetricData> exported = metrics.collectAllMetrics();
        assertThat(sum(exported, "eventsource.appends", "ok")).isEqualTo(2);
        assertThat(sum(exported, "eventsource.appends", "conflict")).isEqualTo(1);
        assertThat(sum(exported, "eventsource.events.appended", "ok")).isEqualTo(3);
        assertThat(sum(exported, "eventsource.append.conflicts", null)).isEqualTo(1);
        HistogramPointData latency = metric(exported, "eventsource.append.duration").getHistogramData().getPoints().stream()
                .filter(p -> "ok".equals(p.getAttributes().get(AttributeKey.stringKey("eventsource.outcome"))))
                .findFirst().orElseThrow();
        assertThat(latency.getCount()).isEqualTo(2);
        assertThat(latency.getSum()).isPositive();
        assertThat(metric(exported, "eventsource.append.duration").getUnit()).isEqualTo("s");
    }

    @Test
    void the_global_log_reader_counts_the_events_it_read() {
        deposit(UUID.randomUUID(), ExpectedVersion.NO_STREAM, 1, 2, 3);
        try (Stream<StoredEvent> all = store.readAll(ReadOptions.builder().pageSize(2).build())) {
            assertThat(all.count()).isEqualTo(3);
        }

        LongPointData read = metric(metrics.collectAllMetrics(), "eventsource.read_all.events").getLongSumData()
                .getPoints().iterator().next();
        assertThat(read.getValue()).isEqualTo(3);
        assertThat(read.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo(expectedSystem());
    }

    @Test
    void a_repository_load_and_save_are_the_parents_of_the_store_spans_and_say_whether_a_snapshot_was_used() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        AggregateRepository<TckAccount> repo = AggregateRepository.builder(store, TckAccount::new, TckAccount.TYPE)
                .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.everyEvents(2)).openTelemetry(openTelemetry).build();
        UUID snapshotted = UUID.randomUUID();
        TckAccount account = repo.createNew(snapshotted);
        account.deposit(1);
        account.deposit(2);
        repo.save(account);
        UUID plain = UUID.randomUUID();
        store.append(plain, TckAccount.TYPE, List.of(NewEvent.of(new TckAccount.Deposited(7))), ExpectedVersion.NO_STREAM);
        spans.reset();

        repo.load(snapshotted);
        repo.load(plain);

        List<SpanData> loads = spansNamed("load " + TckAccount.TYPE);
        assertThat(loads).hasSize(2);
        assertThat(loads).extracting(s -> s.getAttributes().get(AttributeKey.stringKey("eventsource.snapshot")))
                .containsExactly("hit", "miss");
        assertThat(loads).allSatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL));
        List<SpanData> reads = spansNamed("read_stream " + expectedEventsCollection());
        assertThat(reads).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(reads.get(i).getParentSpanId()).isEqualTo(loads.get(i).getSpanId());
        }
        assertThat(spansNamed("read_snapshot " + TckAccount.TYPE)).extracting(SpanData::getParentSpanId)
                .containsExactly(loads.get(0).getSpanId(), loads.get(1).getSpanId());

        Collection<MetricData> exported = metrics.collectAllMetrics();
        assertThat(sum(exported, "eventsource.snapshot.loads", "hit")).isEqualTo(1);
        assertThat(sum(exported, "eventsource.snapshot.loads", "miss")).isEqualTo(1);
        assertThat(sum(exported, "eventsource.snapshot.writes", "ok")).isEqualTo(1);
    }

    @Test
    void a_repository_save_is_the_parent_of_the_append_and_of_the_snapshot_write() {
        AggregateRepository<TckAccount> repo = AggregateRepository.builder(store, TckAccount::new, TckAccount.TYPE)
                .snapshots(snapshotStoreFor(store)).snapshotPolicy(SnapshotPolicy.everyEvents(1)).openTelemetry(openTelemetry)
                .build();
        TckAccount account = repo.createNew(UUID.randomUUID());
        account.deposit(1);
        repo.save(account);

        SpanData save = onlySpanNamed("save " + TckAccount.TYPE);
        assertThat(save.getAttributes().get(TracingObserver.EVENT_COUNT)).isEqualTo(1L);
        assertThat(onlySpanNamed("append " + expectedEventsCollection()).getParentSpanId()).isEqualTo(save.getSpanId());
        assertThat(onlySpanNamed("write_snapshot " + TckAccount.TYPE).getParentSpanId()).isEqualTo(save.getSpanId());
    }

    /** The sum of a counter's points whose {@code eventsource.outcome} is {@code outcome} (any, when null). */
    protected static long sum(Collection<MetricData> exported, String name, String outcome) {
        return metric(exported, name).getLongSumData().getPoints().stream()
                .filter(p -> outcome == null || outcome.equals(p.getAttributes().get(AttributeKey.stringKey("eventsource.outcome"))))
                .mapToLong(LongPointData::getValue).sum();
    }

    protected static MetricData metric(Collection<MetricData> exported, String name) {
        return exported.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " among "
                        + exported.stream().map(MetricData::getName).toList()));
    }
}
