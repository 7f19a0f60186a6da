package dev.eventsource.relay;

/** What an {@link EventRelay} is doing. */
public enum RelayState {
    /** Built, not started. */
    NEW,
    /** Started, waiting for its lock: another instance is relaying under this name. */
    STANDBY,
    /** Publishing full batches: behind the head of the log. */
    CATCHING_UP,
    /** Published everything it read; waiting for appends. */
    LIVE,
    /** The publisher refused the last attempt; the batch is retried with backoff, nothing after it is published. */
    RETRYING,
    /** The store could not be read; read again at the next wake-up or poll. */
    STALLED,
    /** Paused by {@link EventRelay#pause()}; the checkpoint is saved, nothing is published until resumed. */
    PAUSED,
    /**
     * Stopped at an event it cannot publish (this process cannot decode it) or because the store
     * closed; the checkpoint stays before that event. {@link EventRelay#resume()} tries again.
     */
    FAILED,
    /** Closed. */
    STOPPED
}
