package dev.eventsource.bus;

import java.util.List;

/**
 * The dead letters of a bus: events a consumer group could not handle within its retry budget.
 *
 * <p>There is at most one entry per group and event: an event that fails again after a replay
 * comes back under the same id with its attempts added up. Entries stay until replayed
 * successfully or discarded, also after the group's last member left.
 */
public interface BusDeadLetters {

    /** The entries of the group named {@code group}, oldest first; empty for an unknown group. */
    List<BusDeadLetter> deadLetters(String group);

    /**
     * Delivers the entry's event to a live member of its group again, with the group's full retry
     * budget, and removes the entry; if that fails, the event is dead-lettered again under the same
     * id. The delivery follows the bus's dispatch (on an asynchronous bus it happens after this returns).
     *
     * @return false if there is no entry {@code id}
     * @throws IllegalStateException    if the entry's group has no live member to deliver to; subscribe first
     * @throws EventBusClosedException  after shutdown
     */
    boolean replay(String id);

    /**
     * Removes the entry without delivering it.
     *
     * @return false if there is no entry {@code id}
     */
    boolean discard(String id);
}
