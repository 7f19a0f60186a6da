package dev.eventsource.store;

import dev.eventsource.EventSourceException;

import java.util.UUID;

/** An imported row contradicts what the target already holds; nothing of its batch was written. */
public class ImportConflictException extends EventSourceException {

    private final UUID eventId;

    public ImportConflictException(UUID eventId, String message) {
        super(message);
        this.eventId = eventId;
    }

    /** The id of the row that could not be imported. */
    public UUID eventId() {
        return eventId;
    }

    /** The row's id is stored at another place in the target. */
    public static ImportConflictException elsewhere(RecordedEvent row, StreamId storedIn, long storedVersion) {
        return new ImportConflictException(row.eventId(), "Cannot import event " + row.eventId() + " as " + row.stream()
                + " v" + row.version() + ": the target already stores that id as " + storedIn + " v" + storedVersion
                + ". The target holds different data; import into an empty store.");
    }

    /** The row's id is stored at the row's place, but as an event with other content: the file or the target was altered. */
    public static ImportConflictException altered(RecordedEvent row, java.util.List<String> fields) {
        return new ImportConflictException(row.eventId(), "Cannot import event " + row.eventId() + " as " + row.stream()
                + " v" + row.version() + ": the target already stores that id there, but with a different "
                + String.join(", ", fields) + ". One of the two was altered after the export; nothing of this batch"
                + " was written. Compare the row with the stored event (eventsource events) before importing again.");
    }

    /** The row's version does not follow its stream's version in the target. */
    public static ImportConflictException outOfSequence(RecordedEvent row, long targetVersion) {
        return new ImportConflictException(row.eventId(), "Cannot import event " + row.eventId() + " as " + row.stream()
                + " v" + row.version() + ": that stream is at version " + targetVersion + " in the target, so the next"
                + " importable version is " + (targetVersion + 1) + ". Import streams in order, into an empty store.");
    }
}
