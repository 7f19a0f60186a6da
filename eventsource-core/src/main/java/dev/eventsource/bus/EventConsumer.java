package dev.eventsource.bus;

import dev.eventsource.event.DomainEvent;

import java.util.Objects;
import java.util.Set;

/**
 * The consuming side of a bus: subscribes handlers as members of {@link ConsumerGroup}s.
 *
 * <p>Each published event that a group selects is delivered once to the group, to one live member,
 * and to every group independently. The events of one aggregate reach a group in the order they
 * were published, one at a time (a synchronous in-process bus runs handlers on the publishers'
 * threads, so there only one publishing thread per aggregate gives that). A handler's
 * failure is retried per the group's policy, then dead-lettered ({@link BusDeadLetters}); it never
 * stops the other events, the other groups or the publisher. A subscription receives the events
 * published after {@code subscribe} returned; events published before are not replayed (read them
 * from the store, or use a durable group, see {@link BusCapability#DURABLE_GROUPS}).
 *
 * <p>Refused: a null group or handler ({@link NullPointerException}); a member whose
 * {@link ConsumerGroup} differs from the one its group's live members subscribed with
 * ({@link IllegalArgumentException}); any subscription after shutdown ({@link EventBusClosedException}).
 */
public interface EventConsumer extends BusEndpoint {

    /**
     * Adds a member with {@code handler} to {@code group}, creating the group if it has no live member.
     *
     * @throws IllegalArgumentException if the group's live members subscribed with another {@link ConsumerGroup}
     * @throws EventBusClosedException  after shutdown
     */
    BusSubscription subscribe(ConsumerGroup group, EventHandler<DomainEvent> handler);

    /** Subscribes {@code handler}, in a group of its own, to the instances of {@code eventClass}. */
    default <E extends DomainEvent> BusSubscription subscribe(Class<E> eventClass, EventHandler<? super E> handler) {
        Objects.requireNonNull(handler, "handler must not be null");
        return subscribe(ConsumerGroup.anonymous(EventSelector.ofClass(eventClass)),
                (event, envelope) -> handler.handle(eventClass.cast(event), envelope));
    }

    /** Subscribes {@code handler}, in a group of its own, to the events stored under {@code eventType}. */
    default BusSubscription subscribe(String eventType, EventHandler<DomainEvent> handler) {
        return subscribe(ConsumerGroup.anonymous(EventSelector.ofType(eventType)), handler);
    }

    /** Subscribes {@code handler}, in a group of its own, to every event. */
    default BusSubscription subscribeToAll(EventHandler<DomainEvent> handler) {
        return subscribe(ConsumerGroup.anonymous(EventSelector.all()), handler);
    }

    /** The guarantees beyond the common contract that this bus gives; the contract suite checks each. */
    Set<BusCapability> capabilities();
}
