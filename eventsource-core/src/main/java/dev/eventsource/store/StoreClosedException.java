package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * The store was used after {@code close()}, or was closed before the operation reached the
 * database. Nothing was attempted: an append that throws this wrote nothing. An append that
 * {@code close()} cut short after it reached the database throws
 * {@link AppendOutcomeUnknownException} instead.
 */
public class StoreClosedException extends EventSourceException {

    public StoreClosedException(String store) {
        super(store + " is closed; open a new store to keep working");
    }
}
