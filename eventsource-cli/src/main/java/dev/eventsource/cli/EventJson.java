package dev.eventsource.cli;

import com.fasterxml.jackson.core.JsonFactory;
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
import dev.eventsource.store.spi.EventMapper;
import dev.eventsource.store.RecordedEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * The JSON form of a stored event, shared by {@code export}/{@code import} (one object per line,
 * JSON Lines) and the {@code --json} output of {@code events} and {@code tail}.
 *
 * <p>Fields, in this order: {@code eventId}, {@code eventType}, {@code schemaVersion},
 * {@code aggregateType}, {@code aggregateId}, {@code version}, {@code globalPosition},
 * {@code occurredAt}, {@code recordedAt} (UTC, ISO-8601 with exactly six fraction digits),
 * {@code tenantId} (string or null), {@code metadata} and {@code payload} (JSON objects, as
 * stored). Numbers in payloads keep their exact decimal value. Parsing refuses a line that lacks a
 * field, has one of the wrong kind, or has an unknown one, naming the field.
 */
final class EventJson {

    /**
     * Decimal numbers are read as BigDecimal with their scale, so a payload survives a round trip
     * exactly. A string may be as long as a whole line, so that the library, not the reader, says
     * which stored limit a too-long value breaks.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(JsonLinesReader.MAX_LINE_CHARS).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static final List<String> FIELDS = List.of("eventId", "eventType", "schemaVersion", "aggregateType", "aggregateId",
            "version", "globalPosition", "occurredAt", "recordedAt", "tenantId", "metadata", "payload");

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private EventJson() {
    }

    /** UTC, ISO-8601, exactly six fraction digits. */
    static String time(Instant instant) {
        return instant == null ? null : MICROS.format(instant);
    }

    /**
     * The JSON object of a stored row.
     *
     * @param strict when true a payload or metadata that is not a JSON object fails with
     *               {@link IllegalStateException}; when false it is shown as a JSON string
     */
    static ObjectNode toJson(RecordedEvent row, boolean strict) {
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
        node.set("metadata", stored(row, "metadata", row.metadataJson() == null ? "{}" : row.metadataJson(), strict));
        node.set("payload", stored(row, "payload", row.payloadJson(), strict));
        return node;
    }

    /** The stored JSON as an object; null when it is not one. */
    static ObjectNode parseObject(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readTree(json) instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static JsonNode stored(RecordedEvent row, String what, String json, boolean strict) {
        ObjectNode object = parseObject(json);
        if (object != null) {
            return object;
        }
        if (strict) {
            throw new IllegalStateException("the " + what + " of event " + row.eventId() + " (" + row.stream() + " v"
                    + row.version() + ", position " + row.globalPosition() + ") is not a JSON object: "
                    + abbreviate(json) + ". Run 'eventsource verify' to list every damaged row");
        }
        return TextNode.valueOf(json);
    }

    /** One line of the JSON Lines format, without a newline. */
    static String toLine(RecordedEvent row) {
        try {
            return MAPPER.writeValueAsString(toJson(row, true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + row.eventId() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses one line of the JSON Lines format.
     *
     * @throws IllegalArgumentException naming what is wrong with the line
     */
    static RecordedEvent fromLine(String line) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(line);
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
            return EventMapper.truncate(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 UTC time like"
                    + " 2025-01-31T09:15:00.123456Z; got \"" + text + "\"");
        }
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

    static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }
}
