package dev.eventsource.cli;

import dev.eventsource.wire.EventDocument;

import java.util.UUID;

/**
 * Recognises, without parsing it, an input line that a re-import would skip: the line is, character
 * for character, the export document of the row stored under its event id, apart from the
 * {@code globalPosition} (which an import does not keep: the target assigns its own). Such a line
 * decodes to exactly the stored row (same id, stream, version, type, schema version, times,
 * tenant, metadata and payload), which the importer would skip as already there. Anything else
 * (another formatting, other content, a line that is not canonical) is not recognised, and the
 * caller parses it and lets the importer decide, so a changed event is still refused. The comparison
 * itself is {@link EventDocument#isDocumentOf}; this class finds the id to look the stored row up by.
 */
final class AlreadyStored {

    private static final String ID_PREFIX = "{\"eventId\":\"";

    private AlreadyStored() {
    }

    /**
     * The event id of a line that starts like an export document ({@code {"eventId":"<uuid>"}),
     * or null: the line is then parsed as usual.
     */
    static UUID eventId(String line) {
        int end = ID_PREFIX.length() + 36;
        if (line.length() <= end || !line.startsWith(ID_PREFIX) || line.charAt(end) != '"') {
            return null;
        }
        try {
            return UUID.fromString(line.substring(ID_PREFIX.length(), end));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
