package dev.eventsource.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.wire.EventDocument;

import java.time.Instant;
import java.util.List;

/**
 * The CLI's use of the one event document format ({@link EventDocument}, documented in
 * {@code docs/wire-format.md}): {@code export}/{@code import} write and read one document per line
 * (JSON Lines), and the {@code --json} output of {@code events} and {@code tail} shows the same
 * fields, leniently for damaged rows.
 */
final class EventJson {

    /** The mapper documents are read with: exact decimals. */
    static final ObjectMapper MAPPER = EventDocument.objectMapper();

    static final List<String> FIELDS = EventDocument.FIELDS;

    private EventJson() {
    }

    static String time(Instant instant) {
        return EventDocument.time(instant);
    }

    /**
     * The JSON object of a stored row.
     *
     * @param strict when true a payload or metadata that is not a JSON object fails with
     *               {@link IllegalStateException}; when false it is shown as a JSON string
     */
    static ObjectNode toJson(RecordedEvent row, boolean strict) {
        try {
            return EventDocument.toTree(row, !strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ". Run 'eventsource verify' to list every damaged row", e);
        }
    }

    static ObjectNode parseObject(String json) {
        return EventDocument.parseObject(json);
    }

    /**
     * Whether {@code json} is one JSON object and nothing else (verify checks every stored payload
     * this way): one scan ({@link dev.eventsource.store.spi.JsonObjectScan}) says yes for what it
     * can judge; anything else is read token by token by Jackson, nothing built.
     */
    static boolean isObject(String json) {
        if (json == null) {
            return false;
        }
        if (dev.eventsource.store.spi.JsonObjectScan.isObject(json)) {
            return true;
        }
        try (com.fasterxml.jackson.core.JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.currentToken() == com.fasterxml.jackson.core.JsonToken.END_OBJECT && parser.nextToken() == null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** One line of the JSON Lines format, without a newline. */
    static String toLine(RecordedEvent row) {
        try {
            return EventDocument.encode(row);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ". Run 'eventsource verify' to list every damaged row", e);
        }
    }

    /** {@link #toLine} as UTF-8 bytes, without a newline: what export writes (no String in between). */
    static byte[] toBytes(RecordedEvent row) {
        try {
            return EventDocument.encodeBytes(row);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ". Run 'eventsource verify' to list every damaged row", e);
        }
    }

    /**
     * Parses one line of the JSON Lines format.
     *
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    static RecordedEvent fromLine(String line) {
        return EventDocument.decode(line);
    }

    static String abbreviate(String text) {
        return EventDocument.abbreviate(text);
    }
}
