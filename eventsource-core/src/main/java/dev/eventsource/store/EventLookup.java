package dev.eventsource.store;

import java.util.UUID;

/** Point queries on an event store that load no payloads. */
public interface EventLookup {

    /** The current version of a stream; 0 when it does not exist. */
    long getStreamVersion(UUID aggregateId, String aggregateType);

    /** True when an event with this id is stored, in any stream. */
    boolean eventExists(UUID eventId);

    /** The highest global position in the store; 0 when it is empty. */
    long globalPosition();
}
