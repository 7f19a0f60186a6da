package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.TracingObserver;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import dev.eventsource.tck.SqlTelemetryContract;
import dev.eventsource.tck.TckAccount;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class SQLiteTelemetryContractTest extends SqlTelemetryContract {

    @TempDir
    Path dir;

    private Path file;

    @Override
    protected EventStore newEventStore(EventRegistry registry, OpenTelemetrySdk openTelemetry) {
        file = dir.resolve("events.db");
        return SQLiteEventStore.builder(file.toString()).eventRegistry(registry).openTelemetry(openTelemetry).build();
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore store) {
        return new SQLiteSnapshotStore((SQLiteEventStore) store);
    }

    @Override
    protected TransactionalCheckpointStore checkpointStoreFor(EventStore store) {
        return new SQLiteCheckpointStore((SQLiteEventStore) store);
    }

    @Override
    protected String expectedSystem() {
        return TracingObserver.SQLITE;
    }

    @Override
    protected String expectedEventsCollection() {
        return "events";
    }

    @Override
    protected String expectedCheckpointsCollection() {
        return "subscription_checkpoints";
    }

    @Override
    protected String expectedSnapshotsCollection() {
        return "snapshots";
    }

    @Test
    void spans_name_the_database_file_as_their_namespace() {
        store.append(UUID.randomUUID(), TckAccount.TYPE, List.of(NewEvent.of(new TckAccount.Deposited(1))),
                ExpectedVersion.NO_STREAM);

        SpanData append = onlySpanNamed("append events");
        assertThat(append.getAttributes().get(AttributeKey.stringKey("db.namespace"))).isEqualTo(file.toString());
    }

    @Test
    void a_store_with_a_table_prefix_names_its_prefixed_tables_in_its_spans() throws Exception {
        try (SQLiteEventStore prefixed = SQLiteEventStore.builder(dir.resolve("prefixed.db").toString())
                .eventRegistry(TckAccount.registry()).tablePrefix("es_").openTelemetry(openTelemetry).build()) {
            prefixed.append(UUID.randomUUID(), TckAccount.TYPE, List.of(NewEvent.of(new TckAccount.Deposited(1))),
                    ExpectedVersion.NO_STREAM);
            new SQLiteCheckpointStore(prefixed).save(new dev.eventsource.subscription.Checkpoint("orders", 1, 1, null, null,
                    java.time.Instant.now()));
        }

        assertDatabaseClientSpan(onlySpanNamed("append es_events"), "append", "es_events");
        assertDatabaseClientSpan(onlySpanNamed("upsert es_subscription_checkpoints"), "upsert", "es_subscription_checkpoints");
    }

    @Test
    void the_group_commit_size_histogram_counts_every_append_of_every_committed_transaction() throws Exception {
        int threads = 8;
        int appendsEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    UUID id = UUID.randomUUID();
                    for (int i = 0; i < appendsEach; i++) {
                        store.append(id, TckAccount.TYPE, List.of(NewEvent.of(new TckAccount.Deposited(i))),
                                ExpectedVersion.exactly(i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        var exported = metrics.collectAllMetrics();
        HistogramPointData sizes = metric(exported, "eventsource.sqlite.group_commit.size").getHistogramData().getPoints()
                .iterator().next();
        GroupCommitStats stats = ((SQLiteEventStore) store).groupCommitStats();
        assertThat(sizes.getSum()).isEqualTo((double) threads * appendsEach);
        assertThat(sizes.getCount()).isEqualTo(stats.commits());
        assertThat(sum(exported, "eventsource.appends", "ok")).isEqualTo(threads * appendsEach);
        assertThat(sum(exported, "eventsource.events.appended", "ok")).isEqualTo(threads * appendsEach);
        assertThat(spansNamed("append events")).hasSize(threads * appendsEach)
                .allSatisfy(span -> assertThat(span.hasEnded()).isTrue());
    }
}
