package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.InMemoryDeadLetterStore;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transactional subscription suite, bound to a store that keeps nothing and a checkpoint
 * store whose transactions run nothing, must report failures; kept apart from
 * {@link SuitesFailAgainstANoOpStoreTest} because it needs a transactional checkpoint store.
 */
class TransactionalSuiteFailsAgainstANoOpStoreTest {

    @Test
    void the_transactional_subscription_suite_reports_failures_against_a_no_op_store() {
        TestExecutionSummary summary = SuitesFailAgainstANoOpStoreTest.run(NoOpTransactionalSubscriptions.class);

        assertThat(summary.getTestsFoundCount()).isPositive();
        assertThat(summary.getTotalFailureCount()).isPositive();
    }

    static class NoOpTransactionalSubscriptions extends TransactionalSubscriptionContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }

        @Override
        protected EventImporter importer(EventStore store) {
            return batch -> new EventImporter.ImportResult(0, 0);
        }

        @Override
        protected TransactionalCheckpointStore newCheckpointStore(EventStore store) {
            return new TransactionalCheckpointStore() {
                @Override
                public void saveInTransaction(Checkpoint checkpoint, TransactionWork work) {
                }

                @Override
                public void resetInTransaction(String subscription, TransactionWork work) {
                }

                @Override
                public Optional<Checkpoint> find(String subscription) {
                    return Optional.empty();
                }

                @Override
                public void save(Checkpoint checkpoint) {
                }

                @Override
                public boolean reset(String subscription) {
                    return false;
                }

                @Override
                public List<Checkpoint> findAll() {
                    return List.of();
                }
            };
        }

        @Override
        protected DeadLetterStore newDeadLetterStore(EventStore store) {
            return new InMemoryDeadLetterStore();
        }

        @Override
        protected String table(EventStore store, String table) {
            return table;
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMillis(200);
        }
    }
}
