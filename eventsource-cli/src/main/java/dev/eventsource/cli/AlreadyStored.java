package dev.eventsource.cli;

import dev.eventsource.store.RecordedEvent;
import dev.eventsource.wire.EventDocument;

import java.util.UUID;

/**
 * Recognises, without parsing it, an input line that a re-import would skip: the line is, character
 * for character, the export document of the row stored under its event id, apart from the
 * {@code globalPosition} (which an import does not keep: the target assigns its own). Such a line
 * decodes to exactly the stored row (same id, stream, version, type, schema version, times,
 * tenant, metadata and payload), which the importer would skip as already there. Anything else
 * (another formatting, other content, a line that is not canonical) is not recognised, and the
 * caller parses it and lets the importer decide, so a changed event is still refused.
 */
final class AlreadyStored {

    private static final String ID_PREFIX = "{\"eventId\":\"";
    private static final String POSITION = ",\"globalPosition\":";

    /** More digits than this is not a position an import accepts; such a line is parsed, and refused there. */
    private static final int MAX_POSITION_DIGITS = 18;

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

    /**
     * Whether {@code line} is the export document of {@code stored}, whatever number its
     * {@code globalPosition} holds (plain digits only).
     */
    static boolean sameDocument(String line, RecordedEvent stored) {
        String expected;
        try {
            expected = EventDocument.encode(stored);
        } catch (IllegalArgumentException e) {
            // A stored payload that is not a JSON object has no document to be equal to.
            return false;
        }
        int at = expected.indexOf(POSITION);
        if (at < 0 || !line.regionMatches(0, expected, 0, at + POSITION.length())) {
            return false;
        }
        int from = at + POSITION.length();
        int lineEnd = digitsEnd(line, from);
        int expectedEnd = digitsEnd(expected, from);
        if (lineEnd == from || lineEnd - from > MAX_POSITION_DIGITS
                || (line.charAt(from) == '0' && lineEnd - from > 1)) {
            return false;
        }
        int tail = expected.length() - expectedEnd;
        return line.length() - lineEnd == tail && line.regionMatches(lineEnd, expected, expectedEnd, tail);
    }

    private static int digitsEnd(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
