package dev.eventsource.subscription;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event a subscription could not handle after all its retries.
 *
 * @param id             assigned by the {@link DeadLetterStore}; 0 for an entry not yet added
 * @param subscription   the subscription that failed
 * @param eventId        the event's id
 * @param globalPosition the event's global position
 * @param eventType      the event's type name
 * @param payload        the event's payload as JSON text, for inspection
 * @param error          the last failure's class and message
 * @param stackTrace     the last failure's stack trace
 * @param attempts       how many times handling was attempted in all, {@code >= 1}
 * @param firstFailedAt  when the event was first dead-lettered
 * @param lastFailedAt   when the last attempt failed
 * @param resolvedAt     when it was resolved (handled by a retry, or dismissed), or {@code null}
 */
public record DeadLetter(long id, String subscription, UUID eventId, long globalPosition, String eventType,
                         String payload, String error, String stackTrace, int attempts, Instant firstFailedAt,
                         Instant lastFailedAt, Instant resolvedAt) {

    public DeadLetter {
        if (subscription == null || subscription.isBlank()) {
            throw new IllegalArgumentException("subscription must be a non-blank name");
        }
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(stackTrace, "stackTrace");
        Objects.requireNonNull(firstFailedAt, "firstFailedAt");
        Objects.requireNonNull(lastFailedAt, "lastFailedAt");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1; got " + attempts);
        }
        if (globalPosition < 1) {
            throw new IllegalArgumentException("globalPosition must be >= 1; got " + globalPosition);
        }
    }

    public boolean isResolved() {
        return resolvedAt != null;
    }

    /** This entry with the id a store assigned. */
    public DeadLetter withId(long id) {
        return new DeadLetter(id, subscription, eventId, globalPosition, eventType, payload, error, stackTrace, attempts,
                firstFailedAt, lastFailedAt, resolvedAt);
    }
}
