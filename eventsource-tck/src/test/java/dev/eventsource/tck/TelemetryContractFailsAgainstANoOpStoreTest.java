package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.InMemorySnapshotStore;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The telemetry suite can fail: against a store that observes and keeps nothing, every test fails
 * (the one that asserts an absence too, since it reads back an event that was never kept).
 */
class TelemetryContractFailsAgainstANoOpStoreTest {

    @Test
    void every_telemetry_test_that_expects_something_exported_fails_against_a_store_that_exports_nothing() {
        TestExecutionSummary summary = SuitesFailAgainstANoOpStoreTest.run(NoOpTelemetry.class);

        assertThat(summary.getTestsFoundCount()).isGreaterThanOrEqualTo(10);
        assertThat(summary.getTotalFailureCount()).isEqualTo(summary.getTestsFoundCount());
    }

    static class NoOpTelemetry extends TelemetryContract {
        @Override
        protected EventStore newEventStore(EventRegistry registry, OpenTelemetrySdk openTelemetry) {
            return new NoOpEventStore();
        }

        @Override
        protected SnapshotStore snapshotStoreFor(EventStore store) {
            return new InMemorySnapshotStore();
        }

        @Override
        protected String expectedSystem() {
            return "noop";
        }

        @Override
        protected String expectedEventsCollection() {
            return "events";
        }
    }
}
