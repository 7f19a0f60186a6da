package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/** The store was used after {@code close()}. */
public class StoreClosedException extends EventSourceException {

    public StoreClosedException(String store) {
        super(store + " is closed; open a new store to keep working");
    }
}
