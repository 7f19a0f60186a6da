package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * The database reported an error that the backend does not classify further: not known to pass
 * by itself, not known to be a configuration or storage problem. The message names the store,
 * the operation and the database's error code; the driver's exception is the
 * {@linkplain #getCause() cause}. Treat it as a failure to investigate, not to retry.
 *
 * <p>A backend that learns to recognise such an error translates it into one of the specific
 * exceptions ({@link TransientEventStoreException}, {@link StoreUnavailableException},
 * {@link IncompatibleStoreException}, {@link StoreNotInitializedException}) instead.
 */
public class UnexpectedStoreException extends EventSourceException {

    /**
     * @param message names the store, the operation and the database's error code
     * @param cause   the driver's exception
     */
    public UnexpectedStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
