package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.snapshot.InMemorySnapshotStore;
import dev.eventsource.snapshot.SnapshotStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.TracingObserver;
import io.opentelemetry.sdk.OpenTelemetrySdk;

class InMemoryTelemetryContractTest extends TelemetryContract {

    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();

    @Override
    protected EventStore newEventStore(EventRegistry registry, OpenTelemetrySdk openTelemetry) {
        return InMemoryEventStore.builder().eventRegistry(registry).openTelemetry(openTelemetry).build();
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore store) {
        return snapshots;
    }

    @Override
    protected String expectedSystem() {
        return TracingObserver.IN_MEMORY;
    }

    @Override
    protected String expectedEventsCollection() {
        return "events";
    }
}
