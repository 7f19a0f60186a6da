package dev.eventsource.subscription;

/**
 * Told about every failed delivery attempt of a subscription (see
 * {@link SubscriptionOptions.Builder#onError}): for alerting, logging with the application's own
 * logger, or counting errors by type. Called on the subscription's thread (or, for a dead-letter
 * retry, the caller's) after the decision is taken and before the subscription acts on it, so it
 * must be quick; it cannot change the decision. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface HandlerFailureListener {

    /** Does nothing: the default. */
    HandlerFailureListener NONE = failure -> { };

    void onFailure(HandlerFailure failure);
}
