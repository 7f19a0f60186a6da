package dev.eventsource.relay;

import java.time.Instant;

/**
 * A snapshot of one {@link EventRelay}.
 *
 * @param name                  the relay's name
 * @param state                 what it is doing
 * @param holdsLock             whether this instance holds the relay's lock (always true without locks)
 * @param lastPublishedPosition the global position of the last event the publisher acknowledged,
 *                              from its checkpoint before this instance published any; 0 for none
 * @param headPosition          the store's global position when this was taken
 * @param lagEvents             events after {@code lastPublishedPosition} up to the head (for a
 *                              filtered relay an upper bound); 0 when nothing it relays is left
 * @param publishedEvents       events this instance published (acknowledged), duplicates after a retry included
 * @param publishedBatches      acknowledged {@code publish} calls
 * @param failures              failed publish attempts since start
 * @param consecutiveFailures   failed attempts since the last acknowledged one; above 0 means retrying
 * @param lastError             the last failure, or {@code null}
 * @param lastErrorAt           when it happened, or {@code null}
 * @param lastPublishedAt       when the publisher last acknowledged, or {@code null}
 * @param lockLosses            times this instance lost its lock while active, or found it lost when its
 *                              checkpoint save was refused (fenced: another holder had saved since)
 */
public record RelayStatus(String name, RelayState state, boolean holdsLock, long lastPublishedPosition, long headPosition,
                          long lagEvents, long publishedEvents, long publishedBatches, long failures,
                          long consecutiveFailures, String lastError, Instant lastErrorAt, Instant lastPublishedAt,
                          long lockLosses) {

    /** Whether it is publishing or ready to: not failed, not retrying, not stalled. A standby is healthy. */
    public boolean healthy() {
        return state != RelayState.FAILED && state != RelayState.RETRYING && state != RelayState.STALLED;
    }
}
