package dev.eventsource.subscription;

import java.time.Duration;
import java.util.List;

/**
 * A snapshot of one subscription's health.
 *
 * @param name            the subscription
 * @param state           what it is doing
 * @param position        the global position of the last event it handled (0 for none)
 * @param headPosition    the store's global position when this was taken
 * @param lagEvents       0 when no event it reads is left after its position, else
 *                        {@code headPosition - position}: for a filtered subscription an upper
 *                        bound of the events still to handle
 * @param lagTime         how long the oldest event it has not handled yet has been stored;
 *                        zero when it has handled everything (or, for a store that does not extend
 *                        {@code AbstractEventStore}, when that event cannot be decoded)
 * @param eventsProcessed events handled since it was subscribed (or rebuilt)
 * @param eventsFailed    failed handling attempts, retries included, and events it could not decode
 * @param deadLetters     its unresolved dead letters: events it went past (or stopped at) without
 *                        handling them, until they are retried successfully or resolved
 * @param lastError       the last failure's description, or {@code null}
 * @param status          its tier under the manager's {@link HealthThresholds}
 * @param reasons         why it is not {@link HealthStatus#HEALTHY} (or, for a standby, that it stands by);
 *                        one short sentence each
 * @param errorRate       failed attempts over all attempts in the thresholds' error window; 0 while the
 *                        window holds fewer than {@link HealthThresholds#minAttempts()} attempts
 * @param abandonedHandlers handler calls that overran their {@link SubscriptionOptions#handlerTimeout()},
 *                        ignored the interrupt and were left running on their thread
 */
public record SubscriptionHealth(String name, SubscriptionState state, long position, long headPosition, long lagEvents,
                                 Duration lagTime, long eventsProcessed, long eventsFailed, long deadLetters,
                                 String lastError, HealthStatus status, List<String> reasons, double errorRate,
                                 long abandonedHandlers) {

    public SubscriptionHealth {
        reasons = List.copyOf(reasons);
    }

    /** Whether it is running and has handled every event it read: not failed, not stalled, no dead letter. */
    public boolean healthy() {
        return state != SubscriptionState.FAILED && state != SubscriptionState.STALLED && deadLetters == 0;
    }
}
