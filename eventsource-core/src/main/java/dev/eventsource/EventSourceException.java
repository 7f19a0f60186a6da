package dev.eventsource;

/**
 * The root of every exception this library throws.
 *
 * <p>It is unchecked: callers catch the leaf they can act on ({@code OptimisticLockException},
 * {@code EventStoreBusyException}, ...) or this root to handle "the event store failed" in one
 * place. Driver exceptions such as {@link java.sql.SQLException} never escape raw; they are
 * translated once, at the adapter boundary, into a subclass of this type that keeps the driver
 * exception as its {@linkplain #getCause() cause}.
 */
public class EventSourceException extends RuntimeException {

    public EventSourceException(String message) {
        super(message);
    }

    public EventSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
