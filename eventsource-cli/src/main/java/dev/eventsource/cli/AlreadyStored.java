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
    private static final String PAYLOAD = ",\"payload\":";

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
     *
     * <p>First compared piece by piece, without building the document: the fields before the
     * metadata as {@link EventDocument#encode} writes them, then the stored metadata and payload
     * text verbatim (what export writes for JSON stored on one line, as SQLite stores it). Only
     * when that fails (JSON stored in another layout, such as PostgreSQL's {@code jsonb}) is the
     * document encoded and compared whole.
     */
    static boolean sameDocument(String line, RecordedEvent stored) {
        String metadata = stored.metadataJson() == null ? "{}" : stored.metadataJson();
        String payload = stored.payloadJson();
        if (payload != null && !spansLines(metadata) && !spansLines(payload) && sameVerbatim(line, stored, metadata, payload)) {
            return true;
        }
        return sameEncoded(line, stored);
    }

    private static boolean sameVerbatim(String line, RecordedEvent stored, String metadata, String payload) {
        StringBuilder b = new StringBuilder(200);
        b.append(ID_PREFIX).append(stored.eventId()).append("\",\"eventType\":");
        quote(b, stored.eventType());
        b.append(",\"schemaVersion\":").append(stored.schemaVersion()).append(",\"aggregateType\":");
        quote(b, stored.aggregateType());
        b.append(",\"aggregateId\":\"").append(stored.aggregateId()).append("\",\"version\":").append(stored.version())
                .append(POSITION);
        if (!line.startsWith(b.toString())) {
            return false;
        }
        int from = b.length();
        int at = digitsEnd(line, from);
        if (!plainPosition(line, from, at)) {
            return false;
        }
        b.setLength(0);
        b.append(",\"occurredAt\":");
        quote(b, EventDocument.time(stored.occurredAt()));
        b.append(",\"recordedAt\":");
        quote(b, EventDocument.time(stored.recordedAt()));
        b.append(",\"tenantId\":");
        quote(b, stored.tenantId());
        b.append(",\"metadata\":");
        String middle = b.toString();
        if (!line.startsWith(middle, at)) {
            return false;
        }
        at += middle.length();
        if (!line.startsWith(metadata, at)) {
            return false;
        }
        at += metadata.length();
        if (!line.startsWith(PAYLOAD, at)) {
            return false;
        }
        at += PAYLOAD.length();
        if (!line.startsWith(payload, at)) {
            return false;
        }
        at += payload.length();
        return at == line.length() - 1 && line.charAt(at) == '}';
    }

    private static boolean plainPosition(String line, int from, int end) {
        return end > from && end - from <= MAX_POSITION_DIGITS && !(line.charAt(from) == '0' && end - from > 1);
    }

    private static boolean spansLines(String json) {
        return json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0;
    }

    /** {@code text} as a JSON string, escaped as {@link EventDocument#encode} escapes it; {@code null} for null. */
    private static void quote(StringBuilder b, String text) {
        if (text == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean sameEncoded(String line, RecordedEvent stored) {
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
        if (!plainPosition(line, from, lineEnd)) {
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
