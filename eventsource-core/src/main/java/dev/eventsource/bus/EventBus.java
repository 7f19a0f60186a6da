package dev.eventsource.bus;

/**
 * A whole bus: it publishes, delivers to consumer groups and keeps their dead letters.
 *
 * <pre>{@code
 * try (EventBus bus = new InMemoryEventBus()) {
 *     bus.subscribe(NoteCreated.class, (created, envelope) -> index.add(envelope.aggregateId(), created.title()));
 *     bus.publish(storedEvents);   // the StoredEvents an append stored
 * }
 * }</pre>
 *
 * <p>Code that only publishes (a relay) takes an {@link EventPublisher}, code that only consumes an
 * {@link EventConsumer}: broker adapters may offer each side alone. Its {@link #close()} shuts both
 * sides down.
 */
public interface EventBus extends EventPublisher, EventConsumer, BusDeadLetters {
}
