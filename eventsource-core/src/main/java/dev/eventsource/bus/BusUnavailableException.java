package dev.eventsource.bus;

import dev.eventsource.EventSourceException;

/**
 * A broker did not accept a publish (or a dead-letter operation) within its configured wait: it is
 * down, unreachable, or refused the write for a reason that may pass. Retryable: publish the same
 * events again later; consumers may then see some of them twice, never a gap. None of the events of
 * the failed call counts as published.
 *
 * <p>Bad input is never this exception ({@link IllegalArgumentException}); a bus that was shut
 * down throws {@link EventBusClosedException}.
 */
public class BusUnavailableException extends EventSourceException {

    private final String bus;

    /**
     * @param bus     what was unavailable, e.g. the broker's bootstrap servers
     * @param message what failed and what to do
     * @param cause   the client's exception
     */
    public BusUnavailableException(String bus, String message, Throwable cause) {
        super(message, cause);
        this.bus = bus;
    }

    /** The bus or broker that was unavailable, as its adapter names it. */
    public String bus() {
        return bus;
    }
}
