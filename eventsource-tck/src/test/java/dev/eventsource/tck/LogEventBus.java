package dev.eventsource.tck;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.BusDeadLetter;
import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.EventBusClosedException;
import dev.eventsource.bus.EventHandler;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.StoredEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The smallest durable bus, to prove that {@link EventBusRedeliveryContract} can be passed: clients
 * of one {@link Broker} (a log and one committed offset per group, as a single-partition broker
 * keeps them) that commit an event's offset only after its handler returned. One member per group
 * at a time; no retries, no dead letters: it runs the redelivery suite only.
 */
final class LogEventBus implements EventBus {

    /** What outlives a client: the log and each group's committed offset. */
    static final class Broker {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition appended = lock.newCondition();
        private final List<StoredEvent> log = new ArrayList<>();
        private final Map<String, Integer> committed = new HashMap<>();
    }

    final Broker broker;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private volatile boolean shutDown;

    LogEventBus(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void publish(List<StoredEvent> events) {
        List<StoredEvent> checked = EventPublisher.checkPublishable(events);
        if (shutDown) {
            throw new EventBusClosedException(toString());
        }
        broker.lock.lock();
        try {
            broker.log.addAll(checked);
            broker.appended.signalAll();
        } finally {
            broker.lock.unlock();
        }
    }

    @Override
    public BusSubscription subscribe(ConsumerGroup group, EventHandler<DomainEvent> handler) {
        if (shutDown) {
            throw new EventBusClosedException(toString());
        }
        broker.lock.lock();
        try {
            broker.committed.putIfAbsent(group.name(), broker.log.size());
        } finally {
            broker.lock.unlock();
        }
        Member m = new Member(group, handler);
        members.add(m);
        m.thread.start();
        return m;
    }

    @Override
    public Set<BusCapability> capabilities() {
        return Set.of(BusCapability.DURABLE_GROUPS);
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
        return new BusStats(0, 0, 0, 0, 0, (int) members.stream().filter(Member::isActive).count());
    }

    @Override
    public BusShutdownReport shutdown(Duration deadline) {
        shutDown = true;
        members.forEach(m -> m.active = false);
        broker.lock.lock();
        try {
            broker.appended.signalAll();
        } finally {
            broker.lock.unlock();
        }
        List<BusShutdownReport.Undelivered> undelivered = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        for (Member m : members) {
            try {
                m.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            StoredEvent current = m.current;
            if (m.thread.isAlive() && current != null) {
                undelivered.add(new BusShutdownReport.Undelivered(m.group.name(), current));
            }
        }
        members.clear();
        return new BusShutdownReport(undelivered);
    }

    private final class Member implements BusSubscription {
        final ConsumerGroup group;
        final EventHandler<DomainEvent> handler;
        final Thread thread;
        volatile boolean active = true;
        volatile StoredEvent current;

        Member(ConsumerGroup group, EventHandler<DomainEvent> handler) {
            this.group = group;
            this.handler = handler;
            this.thread = new Thread(this::consume, "log-bus-" + group.name());
            thread.setDaemon(true);
        }

        private void consume() {
            while (active) {
                int offset;
                StoredEvent event;
                broker.lock.lock();
                try {
                    offset = broker.committed.get(group.name());
                    while (active && offset >= broker.log.size()) {
                        broker.appended.await(50, TimeUnit.MILLISECONDS);
                        offset = broker.committed.get(group.name());
                    }
                    if (!active) {
                        return;
                    }
                    event = broker.log.get(offset);
                } catch (InterruptedException e) {
                    return;
                } finally {
                    broker.lock.unlock();
                }
                if (group.selector().matches(event)) {
                    current = event;
                    try {
                        handler.handle(event.event(), event);
                    } catch (Exception e) {
                        // no retries here; the suite this bus runs has no failing handler
                    }
                    current = null;
                }
                if (!active) {
                    return;   // stopped while handling: like a crash, the offset stays where it was
                }
                broker.lock.lock();
                try {
                    broker.committed.put(group.name(), offset + 1);
                } finally {
                    broker.lock.unlock();
                }
            }
        }

        @Override
        public ConsumerGroup group() {
            return group;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void unsubscribe() {
            active = false;
        }
    }
}
