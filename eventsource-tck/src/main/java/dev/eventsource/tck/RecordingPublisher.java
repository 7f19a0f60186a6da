package dev.eventsource.tck;

import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.store.StoredEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EventPublisher} for relay tests, standing in for a broker: it keeps what it
 * acknowledged, in order, and can be taken {@linkplain #down() down}, when every call fails after
 * having "sent" the first half of its list (as a broker that took some messages before the
 * connection broke), so that a relay's retries show up as duplicates, never as gaps.
 */
public final class RecordingPublisher implements EventPublisher {

    private final List<StoredEvent> received = new CopyOnWriteArrayList<>();
    private final List<List<StoredEvent>> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger failedCalls = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private volatile boolean down;

    /** Makes every following call fail until {@link #up()}. */
    public RecordingPublisher down() {
        down = true;
        return this;
    }

    /** Lets calls succeed again. */
    public RecordingPublisher up() {
        down = false;
        return this;
    }

    @Override
    public void publish(List<StoredEvent> events) {
        List<StoredEvent> checked = EventPublisher.checkPublishable(events);
        calls.incrementAndGet();
        if (down) {
            received.addAll(checked.subList(0, checked.size() / 2));
            failedCalls.incrementAndGet();
            throw new IllegalStateException("broker unavailable (RecordingPublisher is down)");
        }
        received.addAll(checked);
        acknowledged.add(checked);
    }

    /** Every event that reached the "broker", duplicates included, in arrival order. */
    public List<StoredEvent> received() {
        return List.copyOf(received);
    }

    /** The lists of the calls that succeeded, in order. */
    public List<List<StoredEvent>> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** The events of the calls that succeeded, in order. */
    public List<StoredEvent> acknowledgedEvents() {
        List<StoredEvent> all = new ArrayList<>();
        acknowledged.forEach(all::addAll);
        return all;
    }

    public int failedCalls() {
        return failedCalls.get();
    }

    @Override
    public BusStats stats() {
        return new BusStats(received.size(), 0, failedCalls.get(), 0, 0, 0);
    }

    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        return BusShutdownReport.COMPLETE;
    }
}
