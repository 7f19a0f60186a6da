package dev.eventsource.subscription;

/** What a subscription is doing. */
public enum SubscriptionState {
    /** Starting, or reading events that were already stored, in full batches. */
    CATCHING_UP,
    /** Has read to the end of the log and handles new events as they are appended. */
    LIVE,
    /**
     * Its last read of the log, or saving its checkpoint, failed (the store is busy or unreachable,
     * or, for a store that does not extend {@code AbstractEventStore}, an event of the page could not
     * be decoded); it reads again from its position at the next wake-up or poll.
     * {@link SubscriptionHealth#lastError()} says why.
     */
    STALLED,
    /**
     * An exclusive subscription (see {@code SubscriptionManager.Builder.exclusive}) waiting for its
     * lock: another instance runs it. It takes over when that instance stops or dies.
     */
    STANDBY,
    /** Paused by {@link Subscription#pause()}; keeps its position. */
    PAUSED,
    /** Stopped on an error: a dead-lettered event under {@link AfterDeadLetter#STOP}, or the store closed. */
    FAILED,
    /** Stopped by the manager's shutdown or {@link SubscriptionManager#unsubscribe}. */
    STOPPED
}
