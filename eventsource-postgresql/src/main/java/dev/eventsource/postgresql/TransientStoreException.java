package dev.eventsource.postgresql;

import dev.eventsource.store.TransientEventStoreException;

/**
 * PostgreSQL failed in a way that may succeed when tried again: a serialization failure
 * ({@code 40001}), a deadlock ({@code 40P01}), a lock not available in time ({@code 55P03}), a
 * lost or refused connection ({@code 08xxx}, {@code 57P01}-{@code 57P03}, {@code 53300}), no
 * pooled connection within the pool's timeout, or appends that kept colliding with other writers.
 * Catch {@link TransientEventStoreException} to handle this and SQLite's busy database alike.
 *
 * <p>The operation either did not happen or, for a connection lost during a commit, its outcome is
 * unknown. An append retried with the same event ids is safe either way: if the first attempt was
 * committed, the retry is recognised as such and returns the original result (see
 * {@code docs/semantics.md}, "Appending").
 */
public class TransientStoreException extends TransientEventStoreException {

    private final String sqlState;

    /**
     * @param message  what failed and what to do
     * @param sqlState the SQLState PostgreSQL (or the pool) reported, or {@code null}
     * @param cause    the driver's exception, or {@code null} when none was raised
     */
    public TransientStoreException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The SQLState PostgreSQL (or the pool) reported, or {@code null} when there was none. */
    public String sqlState() {
        return sqlState;
    }
}
