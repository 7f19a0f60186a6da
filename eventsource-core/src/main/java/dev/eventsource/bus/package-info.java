/**
 * The event bus: stored events leave the store and reach handlers, in this process or, through
 * broker adapters, in other services.
 *
 * <p>Two roles, so that each side depends only on what it uses: an {@link dev.eventsource.bus.EventPublisher}
 * publishes {@link dev.eventsource.store.StoredEvent}s (a relay needs nothing else), an
 * {@link dev.eventsource.bus.EventConsumer} delivers them to handlers of
 * {@link dev.eventsource.bus.ConsumerGroup}s (a broker consumer needs nothing else), and
 * {@link dev.eventsource.bus.BusDeadLetters} lists, replays and discards what a group could not handle.
 * An {@link dev.eventsource.bus.EventBus} is all three; {@link dev.eventsource.bus.InMemoryEventBus}
 * is the in-process one. The guarantees are in {@code docs/bus.md}; every bus proves them by passing
 * the bus contract suite of {@code eventsource-tck}.
 */
package dev.eventsource.bus;
