package dev.eventsource.postgresql;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.TracingObserver;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import dev.eventsource.tck.SqlTelemetryContract;
import dev.eventsource.tck.TckAccount;
import dev.eventsource.test.PostgresTestServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PostgreSQLTelemetryContractTest extends SqlTelemetryContract {

    private String schema;

    @Override
    protected EventStore newEventStore(EventRegistry registry, OpenTelemetrySdk openTelemetry) {
        schema = PostgresTestServer.freshSchema();
        return PostgreSQLEventStore.builder(PostgresTestServer.dataSource()).schema(schema).eventRegistry(registry)
                .openTelemetry(openTelemetry).build();
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore store) {
        return new PostgreSQLSnapshotStore((PostgreSQLEventStore) store);
    }

    @Override
    protected TransactionalCheckpointStore checkpointStoreFor(EventStore store) {
        return new PostgreSQLCheckpointStore((PostgreSQLEventStore) store);
    }

    @Override
    protected String expectedSystem() {
        return TracingObserver.POSTGRESQL;
    }

    @Override
    protected String expectedEventsCollection() {
        return schema + ".eventsource_events";
    }

    @Override
    protected String expectedCheckpointsCollection() {
        return schema + ".eventsource_subscription_checkpoints";
    }

    @Override
    protected String expectedSnapshotsCollection() {
        return schema + ".eventsource_snapshots";
    }

    @Test
    void a_store_that_owns_its_pool_reports_the_pools_connections_by_the_conventions() {
        try (PostgreSQLEventStore owning = PostgreSQLEventStore.builder(PostgresTestServer.url())
                .schema(PostgresTestServer.freshSchema()).eventRegistry(TckAccount.registry()).maxPoolSize(3)
                .openTelemetry(openTelemetry).build()) {
            owning.initialize();
            owning.append(UUID.randomUUID(), TckAccount.TYPE, List.of(NewEvent.of(new TckAccount.Deposited(1))),
                    ExpectedVersion.NO_STREAM);

            // HikariCP counts a connection neither idle nor used while it holds it reserved (its housekeeper
            // or keepalive checking it), so one collection can see none: collect until the pool shows its
            // connections, for at most 5 s.
            Collection<MetricData> exported;
            List<LongPointData> connections;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                exported = metrics.collectAllMetrics();
                connections = List.copyOf(metric(exported, "db.client.connection.count").getLongSumData().getPoints());
            } while (connections.stream().mapToLong(LongPointData::getValue).sum() == 0 && System.nanoTime() < deadline
                    && pause());
            assertThat(connections).extracting(p -> p.getAttributes().get(AttributeKey.stringKey("db.client.connection.state")))
                    .containsExactlyInAnyOrder("idle", "used");
            assertThat(connections).allSatisfy(p -> assertThat(p.getAttributes()
                    .get(AttributeKey.stringKey("db.client.connection.pool.name"))).isEqualTo("eventsource-postgresql"));
            assertThat(connections.stream().mapToLong(LongPointData::getValue).sum()).isBetween(1L, 3L);
            assertThat(metric(exported, "db.client.connection.max").getLongSumData().getPoints().iterator().next().getValue())
                    .isEqualTo(3);
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
