package dev.eventsource.bus;

/**
 * A guarantee that not every bus can give, declared by {@link EventConsumer#capabilities()}. The
 * bus contract suite runs a group of tests for each capability a bus declares, and fails a bus
 * that declares one whose group its test does not run.
 *
 * <p>What every bus gives (routing by class, type or all; order per aggregate; handler isolation;
 * unsubscribe; stats; shutdown with a deadline; competing consumers; dead letters with replay) is
 * not a capability: a bus without it does not pass the suite.
 */
public enum BusCapability {

    /**
     * A group's place outlives its members and the consumer process: events published while the
     * group has no member, and events whose handling had not finished when a consumer stopped, are
     * delivered to the group's next member (at-least-once across consumer restarts). Brokers with
     * durable offsets or queues give it; the in-process bus does not, as its groups live in memory.
     */
    DURABLE_GROUPS
}
