package dev.eventsource.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamWriteConstraints;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What every store accepts, declared once. Every write path (append, import, migration) checks
 * an event against these limits before any I/O, and the library reads stored JSON with the same
 * limits, so nothing a store accepts can become unreadable, and the in-memory, SQLite and
 * PostgreSQL stores accept exactly the same events.
 *
 * <ul>
 *   <li><b>Names</b> (aggregate type, event type, tenant id): non-blank, at most
 *       {@value #MAX_NAME_LENGTH} UTF-16 characters, so PostgreSQL's stream index can hold
 *       any of them.</li>
 *   <li><b>Text</b> (names, and every string and field name inside payload and metadata JSON):
 *       no U+0000 (NUL), which PostgreSQL cannot store, and no unpaired UTF-16 surrogate, which
 *       SQLite and PostgreSQL would silently turn into {@code ?} (so two different names would
 *       become one).</li>
 *   <li><b>Payload and metadata JSON</b>: one JSON object, at most {@value #MAX_JSON_LENGTH}
 *       characters long, nested at most {@value #MAX_JSON_DEPTH} levels deep (deeper records
 *       risk a {@link StackOverflowError} when read back), field names at most
 *       {@value #MAX_JSON_NAME_LENGTH} characters, numbers at most {@value #MAX_JSON_NUMBER_LENGTH}
 *       digits when written out in plain notation (PostgreSQL's {@code jsonb} stores
 *       {@code 1E+2000} as 2001 digits). Each limit is at or below Jackson's default read limit,
 *       so any Jackson parser with default settings also reads every stored document.</li>
 *   <li><b>Times</b> ({@code occurredAt}, and {@code recordedAt} of imported events): from
 *       {@link #MIN_TIME} to {@link #MAX_TIME} (years 1 to 9999 UTC), the range SQLite and
 *       PostgreSQL both represent; values are truncated to microseconds before the check.</li>
 * </ul>
 *
 * <p>The check methods throw {@link IllegalArgumentException} naming the value and the limit;
 * stores report a refused event as {@link dev.eventsource.event.SerializationException} (payload,
 * metadata, tenant, event type, times) or {@link IllegalArgumentException} (an aggregate type
 * argument), and write nothing of the append or import batch.
 */
public final class EventLimits {

    /** Longest aggregate type, event type or tenant id, in UTF-16 characters. */
    public static final int MAX_NAME_LENGTH = 255;

    /** Longest payload or metadata JSON document, in UTF-16 characters (16 MiB). */
    public static final int MAX_JSON_LENGTH = 16 * 1024 * 1024;

    /** Deepest nesting of objects and arrays in a payload or metadata document; the root object is level 1. */
    public static final int MAX_JSON_DEPTH = 100;

    /** Longest field name inside a payload or metadata document, in UTF-16 characters. */
    public static final int MAX_JSON_NAME_LENGTH = 50_000;

    /** Most characters of a number inside a payload or metadata document, written in plain (not exponent) notation. */
    public static final int MAX_JSON_NUMBER_LENGTH = 1_000;

    /** The earliest storable time: the start of year 1, UTC. */
    public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest storable time: the last microsecond of year 9999, UTC. */
    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static final StreamReadConstraints READ = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_JSON_DEPTH)
            .maxStringLength(MAX_JSON_LENGTH)
            .maxNameLength(MAX_JSON_NAME_LENGTH)
            .maxNumberLength(MAX_JSON_NUMBER_LENGTH)
            .build();

    private static final StreamWriteConstraints WRITE = StreamWriteConstraints.builder()
            .maxNestingDepth(MAX_JSON_DEPTH)
            .build();

    private static final JsonFactory SCANNER = JsonFactory.builder().streamReadConstraints(READ).build();

    private EventLimits() {
    }

    /**
     * The Jackson read limits matching these limits (nesting, string, field name and number
     * length). The library's default mapper reads with them; give a custom
     * {@code ObjectMapper} for events the same ones (at least), or events a store accepted may
     * fail to read. The document length is deliberately not bounded on read: PostgreSQL renders
     * {@code jsonb} with a space after each {@code :} and {@code ,}, so a document reads back
     * longer than it was written.
     */
    public static StreamReadConstraints streamReadConstraints() {
        return READ;
    }

    /** The Jackson write limits matching these limits: a record nested too deep fails while it is serialized. */
    public static StreamWriteConstraints streamWriteConstraints() {
        return WRITE;
    }

    /**
     * Checks an aggregate type, event type or tenant id.
     *
     * @param what names the value in the message, e.g. {@code "aggregateType"}
     * @return {@code value}
     * @throws IllegalArgumentException if it is null or blank, longer than {@link #MAX_NAME_LENGTH},
     *                                  or not {@linkplain #requireWellFormed well-formed}
     */
    public static String requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must be non-blank; got " + (value == null ? "null" : "'" + value + "'"));
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters long (starting '"
                    + value.substring(0, 40) + "...'); at most " + MAX_NAME_LENGTH
                    + " are accepted, so every backend can index it. Use a shorter name.");
        }
        return requireWellFormed(what, value);
    }

    /**
     * Checks that text holds no U+0000 (NUL) and no unpaired UTF-16 surrogate.
     *
     * @param what names the value in the message
     * @return {@code value} (null passes)
     * @throws IllegalArgumentException naming the first offending character and its index
     */
    public static String requireWellFormed(String what, String value) {
        if (value != null) {
            String problem = malformed(value.toCharArray(), 0, value.length());
            if (problem != null) {
                throw new IllegalArgumentException(what + " " + problem);
            }
        }
        return value;
    }

    /**
     * Checks a time to be stored, as it will be stored: truncated to microseconds.
     *
     * @param what names the value in the message, e.g. {@code "occurredAt"}
     * @return {@code time}, unchanged
     * @throws IllegalArgumentException if it is null or, truncated, outside {@link #MIN_TIME} to {@link #MAX_TIME}
     */
    public static Instant requireTime(String what, Instant time) {
        if (time == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        Instant stored = time.truncatedTo(ChronoUnit.MICROS);
        if (stored.isBefore(MIN_TIME) || stored.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException(what + " " + time + " is outside the storable range " + MIN_TIME + " to "
                    + MAX_TIME + " (years 1 to 9999 UTC, which every backend represents). Use a time inside it.");
        }
        return time;
    }

    /**
     * Checks a payload or metadata document: exactly one JSON object, within every JSON limit of
     * this class, its strings and field names {@linkplain #requireWellFormed well-formed}. One
     * streaming pass over the text; nothing is built.
     *
     * @param what names the document in the message, e.g. {@code "payload"}
     * @return {@code json}
     * @throws IllegalArgumentException naming the first problem
     */
    public static String requireJsonObject(String what, String json) {
        if (json == null) {
            throw new IllegalArgumentException(what + " must be a JSON object; got null");
        }
        if (json.length() > MAX_JSON_LENGTH) {
            throw new IllegalArgumentException(what + " JSON is " + json.length() + " characters long; at most "
                    + MAX_JSON_LENGTH + " are accepted. Store large content elsewhere and keep a reference in the event.");
        }
        try (JsonParser parser = SCANNER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(what + " must be a JSON object; got " + abbreviate(json));
            }
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                    String problem = malformed(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    if (problem != null) {
                        throw new IllegalArgumentException(what + (token == JsonToken.FIELD_NAME ? " field name '" : " string at '")
                                + parser.getParsingContext().pathAsPointer() + "' " + problem);
                    }
                } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    requirePlainLength(what, parser);
                }
                if (parser.getParsingContext().inRoot() && token.isStructEnd()) {
                    if (parser.nextToken() != null) {
                        throw new IllegalArgumentException(what + " must be one JSON object; it has content after the"
                                + " object ends: " + abbreviate(json));
                    }
                    return json;
                }
            }
            throw new IllegalArgumentException(what + " is not complete JSON: " + abbreviate(json));
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException(what + " exceeds a JSON limit: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail", e);
        }
    }

    /** Refuses a number that PostgreSQL would write back with more digits than a reader accepts. */
    private static void requirePlainLength(String what, JsonParser parser) throws IOException {
        char[] text = parser.getTextCharacters();
        int end = parser.getTextOffset() + parser.getTextLength();
        boolean exponent = false;
        for (int i = parser.getTextOffset(); i < end && !exponent; i++) {
            exponent = text[i] == 'e' || text[i] == 'E';
        }
        if (!exponent) {
            // Already plain, and no longer than the parser's number limit.
            return;
        }
        BigDecimal number = parser.getDecimalValue();
        int precision = number.precision();
        int scale = number.scale();
        long digits = scale <= 0 ? (long) precision - scale : scale >= precision ? scale + 2L : precision + 1L;
        long plain = digits + (number.signum() < 0 ? 1 : 0);
        if (plain > MAX_JSON_NUMBER_LENGTH) {
            throw new IllegalArgumentException(what + " number at '" + parser.getParsingContext().pathAsPointer() + "' ("
                    + abbreviate(parser.getText()) + ") has " + plain + " characters in plain notation; at most "
                    + MAX_JSON_NUMBER_LENGTH + " are accepted, because PostgreSQL stores numbers in plain notation.");
        }
    }

    /** The first NUL or unpaired surrogate in {@code text[from, from + length)}, described; null if there is none. */
    private static String malformed(char[] text, int from, int length) {
        int to = from + length;
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c == 0) {
                return "contains the character U+0000 (NUL) at index " + (i - from) + "; PostgreSQL cannot store it,"
                        + " so no backend accepts it. Remove or replace the character.";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text[i + 1])) {
                    i++;
                } else {
                    return "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c).toUpperCase()
                            + ") at index " + (i - from) + "; it is not text, and SQLite and PostgreSQL would store it"
                            + " as '?'. Use well-formed text.";
                }
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
