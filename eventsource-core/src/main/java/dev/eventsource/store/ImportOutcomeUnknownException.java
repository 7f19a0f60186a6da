package dev.eventsource.store;

import dev.eventsource.EventSourceException;

import java.util.List;
import java.util.UUID;

/**
 * An import batch was sent to the database but its outcome could not be learned: the store was
 * closed while the batch's transaction may have been committing. The batch is either all stored
 * or not at all.
 *
 * <p>Import the same rows again, into a new store on the same database: an import recognises rows
 * already stored by their ids and skips them (see {@link EventImporter}), so nothing is stored
 * twice.
 */
public class ImportOutcomeUnknownException extends EventSourceException {

    private final List<UUID> eventIds;

    /**
     * @param message names the store and the batch, and says to import it again
     * @param eventIds the ids of the batch's rows, in order
     * @param cause    the driver's exception that cut the batch short
     */
    public ImportOutcomeUnknownException(String message, List<UUID> eventIds, Throwable cause) {
        super(message, cause);
        this.eventIds = List.copyOf(eventIds);
    }

    /** The ids of the rows of the batch, in order: import exactly these again. */
    public List<UUID> eventIds() {
        return eventIds;
    }
}
