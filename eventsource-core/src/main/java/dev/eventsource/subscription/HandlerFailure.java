package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One failed delivery attempt of a subscription, and what the subscription decided to do about it;
 * handed to a {@link HandlerFailureListener}.
 *
 * @param subscription   the subscription's name
 * @param eventId        the (first) event the attempt delivered
 * @param globalPosition its global position
 * @param eventType      its stored type name
 * @param events         the decoded events of the attempt: one for a plain subscriber or a transactional
 *                       projection handled event by event, a run for a {@link BatchSubscriber} or a
 *                       transactional batch; empty when the event could not be decoded
 * @param attempt        1 for the first attempt
 * @param error          what the handler (or the decoding) threw; a {@link HandlerTimeoutException}
 *                       when the call ran past {@link SubscriptionOptions#handlerTimeout()}
 * @param decision       what the subscription does next
 */
public record HandlerFailure(String subscription, UUID eventId, long globalPosition, String eventType,
                             List<StoredEvent> events, int attempt, Throwable error, Decision decision) {

    /** What a subscription does after a failed attempt. */
    public enum Decision {
        /** The same event (or run of events) is tried again after the retry policy's delay. */
        RETRY,
        /** A run of events spent its budget; each event is now tried on its own, with the full budget. */
        SPLIT,
        /** The event goes to the dead-letter queue (last attempt, a permanent error, or undecodable). */
        DEAD_LETTER
    }

    public HandlerFailure {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(eventId, "eventId");
        events = List.copyOf(events);
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(decision, "decision");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1; got " + attempt);
        }
    }
}
