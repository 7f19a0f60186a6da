package dev.eventsource.tck;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.snapshot.SnapshotPolicy;
import dev.eventsource.store.EventStore;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TelemetryContract} for a SQL backend, plus the database client spans of the stores that
 * share its database: a checkpoint write (alone, or in a projection's transaction) is an
 * {@code upsert} span on the checkpoints table, a snapshot read a {@code select} and a snapshot write
 * an {@code upsert} on the snapshots table, each nested under the repository or caller span.
 */
public abstract class SqlTelemetryContract extends TelemetryContract {

    /** The checkpoint store that lives beside {@code store}. */
    protected abstract TransactionalCheckpointStore checkpointStoreFor(EventStore store);

    /** The {@code db.collection.name} of the checkpoints table, as the store's SQL names it. */
    protected abstract String expectedCheckpointsCollection();

    /** The {@code db.collection.name} of the snapshots table, as the store's SQL names it. */
    protected abstract String expectedSnapshotsCollection();

    @Test
    void a_checkpoint_write_is_an_upsert_span_on_the_checkpoints_table() throws Exception {
        TransactionalCheckpointStore checkpoints = checkpointStoreFor(store);
        checkpoints.save(new Checkpoint("orders", 3, 3, UUID.randomUUID(), "Deposited", Instant.now()));
        checkpoints.saveInTransaction(new Checkpoint("orders", 4, 4, UUID.randomUUID(), "Deposited", Instant.now()),
                connection -> { });

        assertThat(spansNamed("upsert " + expectedCheckpointsCollection())).hasSize(2)
                .allSatisfy(span -> assertDatabaseClientSpan(span, "upsert", expectedCheckpointsCollection()));
    }

    @Test
    void snapshot_reads_and_writes_are_client_spans_under_the_repository_spans() {
        AggregateRepository<TckAccount> repo = AggregateRepository.builder(store, TckAccount::new, TckAccount.TYPE)
                .snapshots(snapshotStoreFor(store)).snapshotPolicy(SnapshotPolicy.everyEvents(1)).openTelemetry(openTelemetry)
                .build();
        UUID id = UUID.randomUUID();
        TckAccount account = repo.createNew(id);
        account.deposit(1);
        repo.save(account);
        repo.load(id);

        SpanData write = onlySpanNamed("upsert " + expectedSnapshotsCollection());
        assertDatabaseClientSpan(write, "upsert", expectedSnapshotsCollection());
        assertThat(write.getParentSpanId()).isEqualTo(onlySpanNamed("write_snapshot " + TckAccount.TYPE).getSpanId());
        SpanData read = onlySpanNamed("select " + expectedSnapshotsCollection());
        assertDatabaseClientSpan(read, "select", expectedSnapshotsCollection());
        assertThat(read.getParentSpanId()).isEqualTo(onlySpanNamed("read_snapshot " + TckAccount.TYPE).getSpanId());
        assertThat(read.getAttributes().get(dev.eventsource.store.TracingObserver.DB_RETURNED_ROWS)).isEqualTo(1L);
    }
}
