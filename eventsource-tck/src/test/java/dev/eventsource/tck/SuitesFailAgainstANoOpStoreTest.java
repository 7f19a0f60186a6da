package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.backend.InMemoryBackend;
import dev.eventsource.lock.ExclusiveLock;
import dev.eventsource.lock.ExclusiveLocks;
import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventConsumer;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.Snapshot;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.spi.StorageCheck;
import dev.eventsource.subscription.AppendNotifier;
import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterQuery;
import dev.eventsource.subscription.DeadLetterStats;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.subscription.InMemoryCheckpointStore;
import dev.eventsource.subscription.InMemoryDeadLetterStore;
import dev.eventsource.subscription.TransactionalCheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A suite that passes against a store that keeps nothing pins nothing: each suite, bound to a
 * no-op store, must report failures. The bus suites are held to more: every single test of
 * theirs must fail against a bus that delivers nothing, so no bus test passes vacuously.
 */
class SuitesFailAgainstANoOpStoreTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {NoOpAppend.class, NoOpStreamRead.class, NoOpGlobalRead.class, NoOpLookup.class,
            NoOpSerialization.class, NoOpValidation.class, NoOpLifecycle.class, NoOpConcurrency.class, NoOpAggregate.class, NoOpReopen.class,
            NoOpSnapshots.class, NoOpSnapshotRepository.class, NoOpImport.class, NoOpEverything.class, NoOpSubscriptions.class,
            NoOpCheckpoints.class, NoOpDeadLetters.class, NoOpDifferential.class, NoOpBackend.class, NoOpTenancy.class, NoOpLocks.class, NoOpRelay.class, NoOpExclusiveSubscriptions.class})
    void the_suite_reports_failures_against_a_no_op_store(Class<?> boundSuite) {
        TestExecutionSummary summary = run(boundSuite);

        assertThat(summary.getTestsFoundCount()).isPositive();
        assertThat(summary.getTotalFailureCount()).as("failures of %s", boundSuite.getSuperclass().getSimpleName())
                .isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {NoOpBusDelivery.class, NoOpBusDeadLetters.class, NoOpBusCompetingConsumers.class,
            NoOpBusRedelivery.class})
    void every_test_of_the_bus_suite_fails_against_a_no_op_bus(Class<?> boundSuite) {
        TestExecutionSummary summary = run(boundSuite);

        assertThat(summary.getTestsFoundCount()).isPositive();
        assertThat(summary.getFailures()).as("failures of %s", boundSuite.getSuperclass().getSimpleName())
                .hasSize((int) summary.getTestsFoundCount());
    }

    @Test
    void every_test_of_the_page_suite_fails_against_a_store_that_keeps_nothing() {
        TestExecutionSummary summary = run(NoOpRecordedPages.class);

        assertThat(summary.getTestsFoundCount()).isPositive();
        assertThat(summary.getFailures()).as("failures of RecordedPageContract").hasSize((int) summary.getTestsFoundCount());
    }

    /** Pages of a store that stores nothing, through the recorded log every store built on AbstractEventStore hands out. */
    static class NoOpRecordedPages extends RecordedPageContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpImportingEventStore(registry);
        }
    }

    static TestExecutionSummary run(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    /** Locks that grant every request, on the no-op backend: two holders at once. */
    static class NoOpLocks extends ExclusiveLocksContract {
        static Optional<ExclusiveLock> grantAlways(String name) {
            ExclusiveLocks.checkName(name);
            return Optional.of(new ExclusiveLock() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public boolean isHeld() {
                    return true;
                }

                @Override
                public void close() {
                }
            });
        }

        @Override
        protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
            return () -> new NoOpBackend().newBackend(registry);
        }
    }

    /** Exclusive subscriptions on a real shared in-memory store whose locks grant every request: every instance runs. */
    static class NoOpExclusiveSubscriptions extends ExclusiveSubscriptionContract {
        @Override
        protected Duration timeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
            InMemoryBackend shared = new InMemoryBackend(new InMemoryEventStore(registry));
            return () -> new InMemoryLocksAndRelayContractTest.Instance(shared, NoOpLocks::grantAlways, () -> { });
        }
    }

    /** A relay over the no-op backend, whose log stays empty. */
    static class NoOpRelay extends EventRelayContract {
        @Override
        protected Duration timeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        protected Supplier<EventStoreBackend> newDatabase(EventRegistry registry) {
            return () -> new NoOpBackend().newBackend(registry);
        }
    }

    static class NoOpBackend extends BackendContract {
        @Override
        protected EventStoreBackend newBackend(EventRegistry registry) {
            NoOpImportingEventStore store = new NoOpImportingEventStore(registry);
            return new EventStoreBackend() {
                @Override
                public EventStore store() {
                    return store;
                }

                @Override
                public RecordedLog log() {
                    return store;
                }

                @Override
                public EventImporter importer() {
                    return store;
                }

                @Override
                public SnapshotStore snapshots() {
                    return noOpSnapshots();
                }

                @Override
                public CheckpointStore checkpoints() {
                    return new InMemoryCheckpointStore();
                }

                @Override
                public Optional<TransactionalCheckpointStore> transactionalCheckpoints() {
                    return Optional.empty();
                }

                @Override
                public DeadLetterStore deadLetters() {
                    return new InMemoryDeadLetterStore();
                }

                @Override
                public AppendNotifier newAppendNotifier() {
                    return AppendNotifier.inProcess(store.appendSignal());
                }

                @Override
                public Optional<StorageCheck> storageCheck() {
                    return Optional.empty();
                }

                @Override
                public ExclusiveLocks locks() {
                    return NoOpLocks::grantAlways;
                }

                @Override
                public void close() {
                    store.close();
                }
            };
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMillis(200);
        }
    }

    static class NoOpDifferential extends DifferentialContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpAppend extends AppendContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpStreamRead extends StreamReadContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpGlobalRead extends GlobalReadContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpTenancy extends TenancyContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpLookup extends LookupContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpSerialization extends SerializationContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpValidation extends ValidationContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpLifecycle extends LifecycleContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpConcurrency extends ConcurrencyContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpAggregate extends AggregateContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpReopen extends ReopenContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }

        @Override
        protected EventStore reopen(EventStore store, EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpEverything extends PersistentEventStoreContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }

        @Override
        protected EventStore reopen(EventStore store, EventRegistry registry) {
            return new NoOpEventStore();
        }
    }

    static class NoOpImport extends ImportContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpImportingEventStore(registry);
        }
    }

    static class NoOpSubscriptions extends SubscriptionContract {
        @Override
        protected EventStore newStore(EventRegistry registry) {
            return new NoOpEventStore();
        }

        @Override
        protected CheckpointStore newCheckpointStore(EventStore store) {
            return new InMemoryCheckpointStore();
        }

        @Override
        protected DeadLetterStore newDeadLetterStore(EventStore store) {
            return new InMemoryDeadLetterStore();
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMillis(200);
        }
    }

    static class NoOpCheckpoints extends CheckpointStoreContract {
        @Override
        protected CheckpointStore newCheckpointStore() {
            return new CheckpointStore() {
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
    }

    static class NoOpDeadLetters extends DeadLetterStoreContract {
        @Override
        protected DeadLetterStore newDeadLetterStore() {
            return new DeadLetterStore() {
                @Override
                public DeadLetter add(DeadLetter letter) {
                    return letter;
                }

                @Override
                public Optional<DeadLetter> find(long id) {
                    return Optional.empty();
                }

                @Override
                public List<DeadLetter> list(String subscription) {
                    return List.of();
                }

                @Override
                public List<DeadLetter> listAll() {
                    return List.of();
                }

                @Override
                public boolean resolve(long id, Instant at) {
                    return false;
                }

                @Override
                public List<DeadLetter> query(DeadLetterQuery query) {
                    return List.of();
                }

                @Override
                public DeadLetterStats stats() {
                    return new DeadLetterStats(0, Map.of(), Map.of());
                }

                @Override
                public long purgeResolved(Instant resolvedBefore) {
                    return 0;
                }
            };
        }
    }

    static class NoOpSnapshotRepository extends SnapshotRepositoryContract {
        @Override
        protected EventStore newEventStore(EventRegistry registry) {
            return new NoOpEventStore();
        }

        @Override
        protected SnapshotStore snapshotStoreFor(EventStore store) {
            return noOpSnapshots();
        }

        @Override
        protected void corruptSnapshot(EventStore store, UUID aggregateId, String aggregateType) {
        }
    }

    static class NoOpSnapshots extends SnapshotStoreContract {
        @Override
        protected SnapshotStore newSnapshotStore() {
            return noOpSnapshots();
        }
    }

    static SnapshotStore noOpSnapshots() {
        {
            return new SnapshotStore() {
                @Override
                public void save(Snapshot snapshot) {
                }

                @Override
                public Optional<Snapshot> find(UUID aggregateId, String aggregateType) {
                    return Optional.empty();
                }

                @Override
                public boolean delete(UUID aggregateId, String aggregateType) {
                    return false;
                }

                @Override
                public int deleteAll(String aggregateType) {
                    return 0;
                }

                @Override
                public int deleteBelowSchemaVersion(String aggregateType, int schemaVersion) {
                    return 0;
                }
            };
        }
    }

    static class NoOpBusDelivery extends EventBusDeliveryContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return new NoOpEventBus();
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMillis(200);
        }
    }

    static class NoOpBusDeadLetters extends EventBusDeadLetterContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return new NoOpEventBus();
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMillis(200);
        }
    }

    static class NoOpBusCompetingConsumers extends EventBusCompetingConsumersContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return new NoOpEventBus();
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMillis(200);
        }
    }

    static class NoOpBusRedelivery extends EventBusRedeliveryContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return new NoOpEventBus();
        }

        @Override
        protected EventConsumer newConsumer(EventBus bus) {
            return new NoOpEventBus();
        }

        @Override
        protected Duration timeout() {
            return Duration.ofMillis(200);
        }
    }
}
