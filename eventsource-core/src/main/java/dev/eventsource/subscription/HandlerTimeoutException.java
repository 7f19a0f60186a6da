package dev.eventsource.subscription;

import dev.eventsource.EventSourceException;

import java.time.Duration;

/**
 * A subscription's handler call ran longer than its {@link SubscriptionOptions#handlerTimeout()}:
 * the call was interrupted (and, when it ignored the interrupt, abandoned on its thread), and the
 * attempt counts as a failure like any exception the handler throws, retried per the
 * {@link RetryPolicy} and dead-lettered once the budget is spent. A retry policy may classify it as
 * permanent ({@code RetryPolicy.permanentOn(HandlerTimeoutException.class)}).
 */
public class HandlerTimeoutException extends EventSourceException {

    private final String subscription;
    private final Duration timeout;
    private final boolean abandoned;

    public HandlerTimeoutException(String subscription, Duration timeout, boolean abandoned) {
        super("the handler of subscription '" + subscription + "' did not return within its handlerTimeout of " + timeout
                + (abandoned ? "; it ignored the interrupt and was abandoned on its thread (make the handler respond to"
                        + " interrupts or give its blocking calls their own timeouts)" : "; it was interrupted")
                + ". Raise SubscriptionOptions.handlerTimeout if such calls are expected to take this long");
        this.subscription = subscription;
        this.timeout = timeout;
        this.abandoned = abandoned;
    }

    /** The subscription whose handler timed out. */
    public String subscription() {
        return subscription;
    }

    /** The timeout it exceeded. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether the call ignored its interrupt and was left running on an abandoned thread. */
    public boolean abandoned() {
        return abandoned;
    }
}
