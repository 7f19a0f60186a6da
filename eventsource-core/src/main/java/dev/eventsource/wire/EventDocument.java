package dev.eventsource.wire;

import dev.eventsource.store.spi.JsonObjectScan;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.eventsource.store.EventLimits;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.spi.EventMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The JSON document of one stored event: a line of the CLI's JSON Lines export and the value of a
 * broker message (Kafka) are this document, so a file and a wire carry the same bytes. See
 * {@code docs/wire-format.md}.
 *
 * <p>One JSON object with exactly these fields, in this order: {@code eventId} (UUID string),
 * {@code eventType} (the stored type name), {@code schemaVersion}, {@code aggregateType},
 * {@code aggregateId} (UUID string), {@code version}, {@code globalPosition} (whole numbers from
 * 1), {@code occurredAt}, {@code recordedAt} (UTC, ISO-8601 with exactly six fraction digits,
 * e.g. {@code 2025-01-31T09:15:00.123456Z}), {@code tenantId} (a non-blank string or
 * {@code null}), {@code metadata} and {@code payload} (JSON objects, as stored). Numbers in
 * payloads keep their exact decimal value ({@code 12.50} stays {@code 12.50}).
 *
 * <p>Refused: {@link #decode(String)} refuses text that is not JSON, not an object, lacks a field,
 * has one of the wrong kind or an unknown one, or is longer than {@link #MAX_DOCUMENT_CHARS}, with an
 * {@link IllegalArgumentException} that names the field and what it must be; {@link #decode(byte[])}
 * also refuses bytes that are not UTF-8. {@link #encode(RecordedEvent)} refuses a row whose payload
 * or metadata is not a JSON object (a damaged row) with an {@link IllegalArgumentException} naming
 * the event. Null arguments are refused with {@link NullPointerException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventDocument {

    /**
     * The longest document read: an event's payload and metadata may each be
     * {@link EventLimits#MAX_JSON_LENGTH} characters of JSON, plus room for the other fields.
     */
    public static final int MAX_DOCUMENT_CHARS = 2 * EventLimits.MAX_JSON_LENGTH + 64 * 1024;

    /** The fields of a document, in the order they are written. */
    public static final List<String> FIELDS = List.of("eventId", "eventType", "schemaVersion", "aggregateType",
            "aggregateId", "version", "globalPosition", "occurredAt", "recordedAt", "tenantId", "metadata", "payload");

    /*
     * Decimal numbers are read as BigDecimal with their scale, so a payload survives a round trip
     * exactly. A string may be as long as a whole document, so that the library, not the parser,
     * says which stored limit a too-long value breaks.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_DOCUMENT_CHARS).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private EventDocument() {
    }

    /**
     * The Jackson mapper documents are read with: exact decimals ({@code BigDecimal} with its
     * scale). Use it to read a document as a tree; do not reconfigure it.
     */
    public static ObjectMapper objectMapper() {
        return MAPPER;
    }

    /** {@code instant} as a document writes it: UTC, ISO-8601, exactly six fraction digits; null for null. */
    public static String time(Instant instant) {
        if (instant == null) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return MICROS.format(instant);
        }
        // What MICROS writes, without the formatter's cost (the relay writes two per event).
        char[] c = new char[27];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        c[26] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The document of a stored row, as one line of JSON without a newline.
     *
     * @throws IllegalArgumentException if the row's payload or metadata is not a JSON object
     */
    public static String encode(RecordedEvent row) {
        return new String(encodeBytes(row), StandardCharsets.UTF_8);
    }

    /**
     * {@link #encode(RecordedEvent)} as UTF-8 bytes, the value of a broker message: this is the
     * relay's hot path. The document is written straight to bytes (no intermediate text) in a
     * buffer the calling thread reuses; the stored payload and metadata are checked to be JSON
     * objects by one scan and copied as stored (numbers keep their exact text).
     *
     * @throws IllegalArgumentException if the row's payload or metadata is not a JSON object
     */
    public static byte[] encodeBytes(RecordedEvent row) {
        Objects.requireNonNull(row, "row");
        String metadata = row.metadataJson() == null ? "{}" : row.metadataJson();
        String payload = row.payloadJson();
        if (spansLines(metadata) || spansLines(payload)) {
            return encodeByTokens(row, metadata, payload);
        }
        int metadataKind = requireObject(row, "metadata", metadata);
        int payloadKind = requireObject(row, "payload", payload);
        DocumentBytes b = DocumentBytes.forThisThread(metadata.length() + payload.length());
        b.ascii("{\"eventId\":\"").uuid(row.eventId()).ascii("\",\"eventType\":").quoted(row.eventType())
                .ascii(",\"schemaVersion\":").number(row.schemaVersion())
                .ascii(",\"aggregateType\":").quoted(row.aggregateType())
                .ascii(",\"aggregateId\":\"").uuid(row.aggregateId())
                .ascii("\",\"version\":").number(row.version())
                .ascii(",\"globalPosition\":").number(row.globalPosition())
                .ascii(",\"occurredAt\":").time(row.occurredAt())
                .ascii(",\"recordedAt\":").time(row.recordedAt())
                .ascii(",\"tenantId\":").quoted(row.tenantId())
                .ascii(",\"metadata\":").json(metadata, metadataKind)
                .ascii(",\"payload\":").json(payload, payloadKind)
                .ascii("}");
        return b.toBytes();
    }

    /**
     * {@code id} as a document writes it ({@link UUID#toString()}), as its 36 ASCII (so UTF-8)
     * bytes, in a new array: a broker message's key and id headers carry these.
     *
     * @throws NullPointerException if {@code id} is null
     */
    public static byte[] idBytes(UUID id) {
        Objects.requireNonNull(id, "id");
        byte[] b = new byte[36];
        DocumentBytes.uuid(id, b, 0);
        return b;
    }

    private static boolean spansLines(String json) {
        return json != null && (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0);
    }

    /** {@code text} as a JSON string, escaped as Jackson escapes it; {@code null} for null. */
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
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static final String ID_PREFIX = "{\"eventId\":\"";
    private static final String POSITION = ",\"globalPosition\":";
    private static final String PAYLOAD = ",\"payload\":";

    /** More digits than this is not a position an import accepts: {@link #isDocumentOf} answers false. */
    private static final int MAX_POSITION_DIGITS = 18;

    /**
     * Whether {@code line} is, character for character, the document {@link #encode} writes for
     * {@code stored}, whatever number its {@code globalPosition} holds (plain digits, no more than
     * 18, no leading zero): a re-import recognises a line already stored by this without parsing
     * it. Any other formatting of the same event answers false (the caller then parses the line).
     *
     * <p>Compared piece by piece first, without building the document: the fields before the
     * metadata, then the stored metadata and payload text verbatim (what the document holds for
     * JSON stored on one line, as SQLite stores it). Only when that fails (JSON stored in another
     * layout, such as PostgreSQL's {@code jsonb}) is the document encoded and compared whole; a
     * stored row whose payload is not a JSON object has no document and answers false.
     *
     * @throws NullPointerException if an argument is null
     */
    public static boolean isDocumentOf(String line, RecordedEvent stored) {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(stored, "stored");
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
        quote(b, time(stored.occurredAt()));
        b.append(",\"recordedAt\":");
        quote(b, time(stored.recordedAt()));
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

    private static boolean sameEncoded(String line, RecordedEvent stored) {
        String expected;
        try {
            expected = encode(stored);
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

    /** The document built token by token by a generator: for stored JSON that spans lines. */
    private static byte[] encodeByTokens(RecordedEvent row, String metadata, String payload) {
        ByteArrayBuilder out = new ByteArrayBuilder(256 + payload.length() + metadata.length());
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", row.eventId().toString());
            g.writeStringField("eventType", row.eventType());
            g.writeNumberField("schemaVersion", row.schemaVersion());
            g.writeStringField("aggregateType", row.aggregateType());
            g.writeStringField("aggregateId", row.aggregateId().toString());
            g.writeNumberField("version", row.version());
            g.writeNumberField("globalPosition", row.globalPosition());
            g.writeStringField("occurredAt", time(row.occurredAt()));
            g.writeStringField("recordedAt", time(row.recordedAt()));
            g.writeStringField("tenantId", row.tenantId());
            g.writeFieldName("metadata");
            copyObject(g, row, "metadata", metadata);
            g.writeFieldName("payload");
            copyObject(g, row, "payload", payload);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write event " + row.eventId() + " as JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Copies {@code json}, which must be one JSON object and nothing else, to {@code g}, token by token. */
    private static void copyObject(JsonGenerator g, RecordedEvent row, String what, String json) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            JsonToken token = p.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw notAnObject(row, what, json);
            }
            int depth = 0;
            do {
                switch (token) {
                    case START_OBJECT -> { g.writeStartObject(); depth++; }
                    case END_OBJECT -> { g.writeEndObject(); depth--; }
                    case START_ARRAY -> { g.writeStartArray(); depth++; }
                    case END_ARRAY -> { g.writeEndArray(); depth--; }
                    case FIELD_NAME -> g.writeFieldName(p.currentName());
                    case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw notAnObject(row, what, json);
                }
            } while (depth > 0 && (token = p.nextToken()) != null);
            if (depth != 0 || p.nextToken() != null) {
                throw notAnObject(row, what, json);
            }
        } catch (JsonProcessingException e) {
            throw notAnObject(row, what, json);
        }
    }

    /**
     * The document of a stored event, serialized through {@code mapper} (payload, schema version and
     * metadata exactly as a store would record them).
     *
     * @throws dev.eventsource.event.SerializationException if the payload cannot be stored
     */
    public static byte[] encodeBytes(StoredEvent event, EventMapper mapper) {
        return encodeBytes(recorded(event, mapper));
    }

    /**
     * The row a store would hold for {@code event}: payload and metadata serialized through
     * {@code mapper}, its schema version the payload class's current one. The reverse is
     * {@link EventMapper#toStoredEvent(RecordedEvent)}.
     *
     * @throws dev.eventsource.event.SerializationException if the payload cannot be stored
     */
    public static RecordedEvent recorded(StoredEvent event, EventMapper mapper) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(mapper, "mapper");
        return mapper.serialize(new NewEvent(event.event(), event.eventId(), event.occurredAt(), event.metadata()))
                .recorded(event.streamId(), event.version(), event.globalPosition(), EventMapper.truncate(event.recordedAt()));
    }

    /**
     * The document as a JSON tree.
     *
     * @param lenient when false, a payload or metadata that is not a JSON object is refused with
     *                {@link IllegalArgumentException}; when true it is shown as a JSON string (for
     *                displaying a damaged row; such a tree does not {@link #decode(String) decode})
     */
    public static ObjectNode toTree(RecordedEvent row, boolean lenient) {
        Objects.requireNonNull(row, "row");
        ObjectNode node = MAPPER.createObjectNode();
        node.put("eventId", row.eventId().toString());
        node.put("eventType", row.eventType());
        node.put("schemaVersion", row.schemaVersion());
        node.put("aggregateType", row.aggregateType());
        node.put("aggregateId", row.aggregateId().toString());
        node.put("version", row.version());
        node.put("globalPosition", row.globalPosition());
        node.put("occurredAt", time(row.occurredAt()));
        node.put("recordedAt", time(row.recordedAt()));
        node.put("tenantId", row.tenantId());
        node.set("metadata", stored(row, "metadata", row.metadataJson() == null ? "{}" : row.metadataJson(), lenient));
        node.set("payload", stored(row, "payload", row.payloadJson(), lenient));
        return node;
    }

    /**
     * Parses one document.
     *
     * @throws IllegalArgumentException naming what is wrong with it: not JSON, not an object, or
     *                                  which field is missing, unknown or of the wrong kind
     */
    public static RecordedEvent decode(String document) {
        Objects.requireNonNull(document, "document");
        if (document.length() > MAX_DOCUMENT_CHARS) {
            throw new IllegalArgumentException("a document of " + document.length() + " characters is longer than the "
                    + MAX_DOCUMENT_CHARS + " an event may take");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(document);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("valid JSON perhaps, but beyond what an event may hold (" + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(tree instanceof ObjectNode node)) {
            throw new IllegalArgumentException("expected a JSON object with the fields " + FIELDS);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; the fields are " + FIELDS);
            }
        }
        JsonNode tenant = required(node, "tenantId");
        if (!tenant.isNull() && !(tenant.isTextual() && !tenant.asText().isBlank())) {
            throw new IllegalArgumentException("field 'tenantId' must be a non-blank string or null");
        }
        return new RecordedEvent(uuid(node, "eventId"), text(node, "eventType"), (int) number(node, "schemaVersion", Integer.MAX_VALUE),
                uuid(node, "aggregateId"), text(node, "aggregateType"), number(node, "version", Long.MAX_VALUE),
                number(node, "globalPosition", Long.MAX_VALUE), instant(node, "occurredAt"), instant(node, "recordedAt"),
                tenant.isNull() ? null : tenant.asText(), object(node, "metadata"), object(node, "payload"));
    }

    /**
     * Parses one document from UTF-8 bytes (a broker message's value).
     *
     * @throws IllegalArgumentException if the bytes are not UTF-8, or as {@link #decode(String)}
     */
    public static RecordedEvent decode(byte[] document) {
        Objects.requireNonNull(document, "document");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(document)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 text (" + e.getMessage() + "); a document is UTF-8 JSON");
        }
        return decode(text);
    }

    /**
     * Checks that {@code json} is one JSON object and nothing else, without building it: one scan
     * ({@link JsonObjectScan}); only what that does not accept goes to Jackson for the verdict.
     * Returns what the scan found ({@link JsonObjectScan#ASCII_OBJECT} or
     * {@link JsonObjectScan#OBJECT}).
     */
    private static int requireObject(RecordedEvent row, String what, String json) {
        int kind = JsonObjectScan.scan(json);
        if (kind != JsonObjectScan.NOT_AN_OBJECT) {
            return kind;
        }
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject(row, what, json);
            }
            p.skipChildren();
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw notAnObject(row, what, json);
            }
        } catch (IOException e) {
            throw notAnObject(row, what, json);
        }
        // Jackson accepts what the scan's limits did not: copied character by character.
        return JsonObjectScan.OBJECT;
    }

    private static JsonNode stored(RecordedEvent row, String what, String json, boolean lenient) {
        ObjectNode object = parseObject(json);
        if (object != null) {
            return object;
        }
        if (!lenient) {
            throw notAnObject(row, what, json);
        }
        return TextNode.valueOf(json);
    }

    private static IllegalArgumentException notAnObject(RecordedEvent row, String what, String json) {
        return new IllegalArgumentException("the " + what + " of event " + row.eventId() + " (" + row.stream() + " v"
                + row.version() + ", position " + row.globalPosition() + ") is not a JSON object: "
                + abbreviate(json) + "; a document carries JSON objects only");
    }

    /** {@code json} as an object; null when it is null, not JSON or not an object. */
    public static ObjectNode parseObject(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readTree(json) instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static JsonNode required(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' must be a non-blank string; got " + value);
        }
        return value.asText();
    }

    private static UUID uuid(ObjectNode node, String field) {
        String text = text(node, field);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "' must be a UUID; got \"" + text + "\"");
        }
    }

    private static long number(ObjectNode node, String field, long max) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1 || value.asLong() > max) {
            throw new IllegalArgumentException("field '" + field + "' must be a whole number from 1 to " + max + "; got " + value);
        }
        return value.asLong();
    }

    private static Instant instant(ObjectNode node, String field) {
        String text = text(node, field);
        try {
            Instant fast = parseCanonical(text);
            return EventMapper.truncate(fast != null ? fast : Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 UTC time like"
                    + " 2025-01-31T09:15:00.123456Z; got \"" + text + "\"");
        }
    }

    /**
     * The common form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, as {@link #time} writes it, parsed
     * without a formatter (it was a third of an import's parsing time); null for anything else,
     * including invalid dates and leap seconds, which {@link Instant#parse} then reads or refuses.
     */
    static Instant parseCanonical(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int nanos = 0;
        if (n > 20) {
            if (t.charAt(19) != '.' || n == 21) {
                return null;
            }
            int fraction = digits(t, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS[9 - (n - 21)];
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        try {
            return java.time.LocalDate.of(year, month, day).atTime(hour, minute, second, nanos).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    /** The decimal value of {@code t[from, to)}; -1 if any character is not an ASCII digit. */
    private static int digits(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String object(ObjectNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isObject()) {
            throw new IllegalArgumentException("field '" + field + "' must be a JSON object; got " + abbreviate(value.toString()));
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("field '" + field + "' cannot be written back as JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code text} on one line, cut to 80 characters; "null" for null. For error messages. */
    public static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }
}
