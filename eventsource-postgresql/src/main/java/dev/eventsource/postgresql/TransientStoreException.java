package dev.eventsource.postgresql;

import dev.eventsource.EventSourceException;

/**
 * PostgreSQL failed in a way that may succeed when tried again: a serialization failure
 * ({@code 40001}), a deadlock ({@code 40P01}), a lost or refused connection ({@code 08xxx},
 * {@code 57P01}-{@code 57P03}, {@code 53300}) or no pooled connection within the pool's timeout.
 *
 * <p>The operation either did not happen or, for a connection lost during a commit, its outcome is
 * unknown. An append retried with the same event ids is safe either way: if the first attempt was
 * committed, the retry is recognised as such and returns the original result (SPEC section 3,
 * item 5).
 */
public class TransientStoreException extends EventSourceException {

    private final String sqlState;

    public TransientStoreException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The SQLState PostgreSQL (or the pool) reported, or {@code null} when there was none. */
    public String sqlState() {
        return sqlState;
    }
}
