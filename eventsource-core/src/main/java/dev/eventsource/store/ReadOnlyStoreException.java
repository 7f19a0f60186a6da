package dev.eventsource.store;

import dev.eventsource.EventSourceException;

/**
 * A write (append, import, snapshot, checkpoint) was asked of a store opened for reading only.
 * Nothing was written; open the store without the read-only option to write.
 */
public class ReadOnlyStoreException extends EventSourceException {

    private final String store;

    /**
     * @param store  the store, as its {@code toString()} describes it
     * @param action what was refused, e.g. {@code "appending to Order/…"}
     */
    public ReadOnlyStoreException(String store, String action) {
        super(store + " was opened read-only, so " + action + " was refused; nothing was written."
                + " Open it without the read-only option to write.");
        this.store = store;
    }

    /** The store that refused, as its {@code toString()} describes it. */
    public String store() {
        return store;
    }
}
