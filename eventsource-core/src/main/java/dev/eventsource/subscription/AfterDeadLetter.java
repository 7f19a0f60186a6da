package dev.eventsource.subscription;

/** What a subscription does after it dead-letters an event. */
public enum AfterDeadLetter {
    /** Move on to the next event; the dead letter can be retried later. */
    CONTINUE,
    /** Stop in {@link SubscriptionState#FAILED}, with the checkpoint just before the event. */
    STOP
}
