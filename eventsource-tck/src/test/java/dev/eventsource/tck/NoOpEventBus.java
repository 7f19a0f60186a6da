package dev.eventsource.tck;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.BusDeadLetter;
import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.StoredEvent;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A bus that accepts everything and does nothing: no delivery, no refusal, no counting. */
final class NoOpEventBus implements EventBus {

    private final Set<BusCapability> capabilities;

    NoOpEventBus() {
        this(Set.of());
    }

    NoOpEventBus(Set<BusCapability> capabilities) {
        this.capabilities = capabilities;
    }

    @Override
    public void publish(List<StoredEvent> events) {
    }

    @Override
    public BusSubscription subscribe(ConsumerGroup group, EventHandler<DomainEvent> handler) {
        return new BusSubscription() {
            @Override
            public ConsumerGroup group() {
                return group;
            }

            @Override
            public boolean isActive() {
                return true;
            }

            @Override
            public void unsubscribe() {
            }
        };
    }

    @Override
    public Set<BusCapability> capabilities() {
        return capabilities;
    }

    @Override
    public List<BusDeadLetter> deadLetters(String group) {
        return List.of();
    }

    @Override
    public boolean replay(String id) {
        return false;
    }

    @Override
    public boolean discard(String id) {
        return false;
    }

    @Override
    public BusStats stats() {
        return new BusStats(0, 0, 0, 0, 0, 0);
    }

    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        return BusShutdownReport.COMPLETE;
    }
}
