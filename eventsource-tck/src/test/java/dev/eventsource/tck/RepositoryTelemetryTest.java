package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.snapshot.InMemorySnapshotStore;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.store.InMemoryEventStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot the repository ignores is reported with its reason, on the load span and in the metric. */
class RepositoryTelemetryTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    @AfterEach
    void close() {
        openTelemetry.close();
    }

    @Test
    void a_snapshot_of_another_schema_version_is_reported_as_ignored_with_that_reason() {
        InMemorySnapshotStore snapshots = new InMemorySnapshotStore();
        try (InMemoryEventStore store = InMemoryEventStore.builder().eventRegistry(TckAccount.registry())
                .openTelemetry(openTelemetry).build()) {
            AggregateRepository<TckAccount> repo = AggregateRepository.builder(store, TckAccount::new, TckAccount.TYPE)
                    .snapshots(snapshots).snapshotPolicy(SnapshotPolicy.never()).openTelemetry(openTelemetry).build();
            UUID id = UUID.randomUUID();
            TckAccount account = repo.createNew(id);
            account.deposit(3);
            repo.save(account);
            snapshots.save(new Snapshot(id, TckAccount.TYPE, 1, 99, "{}", Instant.now()));

            assertThat(repo.load(id).state().balance()).isEqualTo(3);
        }

        SpanData load = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("load " + TckAccount.TYPE))
                .findFirst().orElseThrow();
        assertThat(load.getAttributes().get(AttributeKey.stringKey("eventsource.snapshot"))).isEqualTo("ignored");
        assertThat(load.getAttributes().get(AttributeKey.stringKey("eventsource.snapshot.ignored_reason")))
                .isEqualTo("schema_version");
        MetricData loads = metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("eventsource.snapshot.loads"))
                .findFirst().orElseThrow();
        LongPointData ignored = loads.getLongSumData().getPoints().iterator().next();
        assertThat(ignored.getValue()).isEqualTo(1);
        assertThat(ignored.getAttributes().get(AttributeKey.stringKey("eventsource.outcome"))).isEqualTo("ignored");
        assertThat(ignored.getAttributes().get(AttributeKey.stringKey("eventsource.snapshot.ignored_reason")))
                .isEqualTo("schema_version");
    }
}
