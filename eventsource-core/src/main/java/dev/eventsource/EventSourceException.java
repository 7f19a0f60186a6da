package dev.eventsource;

/**
 * The root of every exception this library throws.
 *
 * <p>It is unchecked: callers catch the leaf they can act on or this root to handle "the event
 * store failed" in one place. The branches a caller can act on (see {@code docs/semantics.md},
 * "Errors"):
 * <ul>
 *   <li>{@code TransientEventStoreException}: retryable (busy or locked, serialization failure or
 *       deadlock, connection lost, pool exhausted);</li>
 *   <li>{@code StoreUnavailableException}: misconfigured or refused by its storage (credentials,
 *       missing database, privileges, full disk, read-only file), with a {@code reason()};</li>
 *   <li>{@code IncompatibleStoreException}: not a database, corrupt, foreign, or a newer schema;</li>
 *   <li>{@code StoreNotInitializedException}: the schema is missing or old and may not be created;</li>
 *   <li>{@code UnexpectedStoreException}: a database error no backend classifies;</li>
 *   <li>and the specific ones: {@code OptimisticLockException}, {@code AppendOutcomeUnknownException},
 *       {@code StoreClosedException}, {@code ReadOnlyStoreException}, {@code SerializationException}, ...</li>
 * </ul>
 *
 * <p>Driver exceptions such as {@link java.sql.SQLException} never escape raw; they are translated
 * once, at the adapter boundary, into one of these, keeping the driver exception as its
 * {@linkplain #getCause() cause}. The library itself never throws this class bare (a guard test
 * checks its compiled classes), so a caller matching on types always gets a leaf; the constructors
 * stay public for applications that extend the root.
 */
public class EventSourceException extends RuntimeException {

    public EventSourceException(String message) {
        super(message);
    }

    public EventSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
