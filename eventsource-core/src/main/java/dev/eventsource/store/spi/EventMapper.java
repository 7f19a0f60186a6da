package dev.eventsource.store.spi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.SerializationException;
import dev.eventsource.event.Upcaster;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where events become stored JSON and back: payloads, metadata, schema versions
 * and upcasting. Every backend goes through it, so they cannot differ about what is storable.
 *
 * <p>On write, the event's class is registered in the registry (a different class under a taken
 * name is refused), the payload is serialized, and the first time a class is seen its JSON is
 * read back once, so a record that could be written but never read again is refused before it
 * reaches any store. On read, the stored type name is looked up, the payload is upcast from its
 * stored schema version to the class's current one, and deserialized.
 *
 * <p>Thread-safe.
 */
public final class EventMapper {

    private static final ObjectMapper DEFAULT_JSON = JsonMapper.builder(JsonFactory.builder()
                    .addDecorator(new NegativeZeroAsZero())
                    .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .build())
            .addModule(new JavaTimeModule())
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("eventsource-fast-instant")
                    .addDeserializer(Instant.class, new FastInstantDeserializer()))
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final EventRegistry registry;
    private final ObjectMapper json;
    private final Map<Class<?>, Boolean> verified = new ConcurrentHashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
    private final GetterOnlyProperties getterOnly;

    /** A mapper with the library's Jackson configuration. */
    public EventMapper(EventRegistry registry) {
        this(registry, DEFAULT_JSON);
    }

    /** A mapper with your own Jackson configuration (it must handle {@code java.time} and records). */
    public EventMapper(EventRegistry registry, ObjectMapper json) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.json = Objects.requireNonNull(json, "json");
        this.getterOnly = new GetterOnlyProperties(json);
    }

    /**
     * The Jackson configuration used when none is given (and by every store). Besides
     * {@code java.time} support it writes numbers in one canonical form so that every backend reads
     * back the same value: {@code -0.0} as {@code 0.0} (PostgreSQL's {@code jsonb} has no negative
     * zero) and {@code BigDecimal} in plain notation ({@code 1E+3} as {@code 1000}, as {@code jsonb}
     * would return it), so a negative scale reads back as scale 0, the same number.
     */
    public static ObjectMapper defaultObjectMapper() {
        return DEFAULT_JSON;
    }

    public EventRegistry registry() {
        return registry;
    }

    public ObjectMapper objectMapper() {
        return json;
    }

    /** Microsecond precision, the resolution every backend stores. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Serializes an event for writing.
     *
     * @throws SerializationException                          if the payload cannot round-trip through JSON
     * @throws dev.eventsource.event.DuplicateEventTypeException if another class owns its type name
     */
    public SerializedEvent serialize(NewEvent event) {
        DomainEvent payload = event.event();
        Class<? extends DomainEvent> type = payload.getClass();
        registry.register(type);
        String typeName = EventRegistry.typeName(type);
        String payloadJson;
        try {
            payloadJson = json.writeValueAsString(payload);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException(typeName, "Cannot serialize event " + typeName + " (" + type.getName()
                    + ") to JSON: " + rootMessage(e) + ". Use JSON-friendly components (records, strings, numbers, java.time,"
                    + " UUID, BigDecimal, enums, collections). Nothing was written.", e);
        }
        if (!verified.containsKey(type)) {
            verifyReadable(type, typeName, payloadJson);
        }
        EventMetadata metadata = event.metadata();
        String metadataJson = metadataJson(metadata);
        if (hasNul(payloadJson) || hasNul(metadataJson)
                || (metadata.tenantId() != null && metadata.tenantId().indexOf('\0') >= 0)) {
            throw new SerializationException(typeName, "Event " + typeName + " contains the character U+0000 (NUL) in its"
                    + " payload or metadata. PostgreSQL cannot store it, so no backend accepts it and stores stay"
                    + " interchangeable; remove or replace the character. Nothing was written.", null);
        }
        return new SerializedEvent(event.eventId(), typeName, EventRegistry.schemaVersion(type),
                truncate(event.occurredAt()), metadata.tenantId(), metadataJson, payloadJson);
    }

    /**
     * Turns a stored row into the public event, upcasting old schema versions.
     *
     * @throws dev.eventsource.event.UnknownEventTypeException if the type name is not registered
     * @throws SerializationException                          if the JSON does not fit the record or an upcaster is missing
     */
    public StoredEvent toStoredEvent(RecordedEvent row) {
        return new StoredEvent(row.eventId(), row.eventType(), row.aggregateId(), row.aggregateType(), row.version(),
                row.globalPosition(), row.occurredAt(), row.recordedAt(),
                metadata(row.tenantId(), row.metadataJson()), payload(row.eventType(), row.schemaVersion(), row.payloadJson()));
    }

    /** Deserializes a payload stored as {@code schemaVersion} of {@code eventType}. */
    public DomainEvent payload(String eventType, int schemaVersion, String payloadJson) {
        Class<? extends DomainEvent> type = registry.lookup(eventType);
        int current = EventRegistry.schemaVersion(type);
        try {
            if (schemaVersion == current) {
                return readers.computeIfAbsent(type, json::readerFor).readValue(payloadJson);
            }
            if (schemaVersion > current) {
                throw new SerializationException(eventType, "Stored " + eventType + " has schema version " + schemaVersion
                        + " but " + type.getName() + " is version " + current
                        + "; it was written by newer code. Deploy the newer event class to read it.", null);
            }
            JsonNode node = json.readTree(payloadJson);
            if (!(node instanceof ObjectNode object)) {
                throw new SerializationException(eventType, "Stored payload of " + eventType + " is not a JSON object", null);
            }
            for (int v = schemaVersion; v < current; v++) {
                final int from = v;
                Upcaster step = registry.upcaster(eventType, from).orElseThrow(() -> new SerializationException(eventType,
                        "No upcaster for " + eventType + " v" + from + " -> v" + (from + 1) + " (stored v" + schemaVersion
                                + ", current v" + current + "). Register one with registry.registerUpcaster(\"" + eventType
                                + "\", " + from + ", payload -> ...).", null));
                object = Objects.requireNonNull(step.upcast(object), "upcaster returned null");
            }
            return json.treeToValue(object, type);
        } catch (JsonProcessingException e) {
            throw new SerializationException(eventType, "Cannot read stored " + eventType + " v" + schemaVersion + " as "
                    + type.getName() + ": " + rootMessage(e), e);
        }
    }

    /** Any value (an aggregate's state, for snapshots) as JSON, with the configuration events use. */
    public String writeJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException(value.getClass().getSimpleName(), "Cannot serialize "
                    + value.getClass().getName() + " to JSON: " + rootMessage(e), e);
        }
    }

    /**
     * Reads a value written by {@link #writeJson}, strictly: only JSON that {@code writeJson} could
     * have written for {@code type} is accepted. A snapshot is a cache, so reading a damaged one as
     * an aggregate with empty fields would be worse than ignoring it and replaying the events.
     *
     * @throws SerializationException if the text is not JSON, is JSON {@code null}, has trailing
     *                                content, lacks a property of the type's creator (a record
     *                                component), has a property the type neither reads nor writes
     *                                (derived getters are written, so they are allowed), or holds
     *                                {@code null} for a primitive
     */
    public Object readJson(String text, java.lang.reflect.Type type) {
        Object value;
        try {
            value = json.readerFor(json.getTypeFactory().constructType(type))
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                            DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                            DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .withHandler(getterOnly)
                    .readValue(text);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException(type.getTypeName(), "Cannot read JSON as " + type.getTypeName() + ": "
                    + rootMessage(e), e);
        }
        if (value == null) {
            throw new SerializationException(type.getTypeName(), "Cannot read JSON as " + type.getTypeName()
                    + ": it is null, which writeJson never writes", null);
        }
        return value;
    }

    /** The metadata JSON stored beside a payload (everything but the tenant, which is a column). */
    public String metadataJson(EventMetadata metadata) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (metadata.actorId() != null) {
            fields.put("actorId", metadata.actorId());
        }
        if (metadata.correlationId() != null) {
            fields.put("correlationId", metadata.correlationId());
        }
        if (metadata.causationId() != null) {
            fields.put("causationId", metadata.causationId());
        }
        if (!metadata.extras().isEmpty()) {
            fields.put("extras", metadata.extras());
        }
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new SerializationException("metadata", "Cannot serialize metadata: " + rootMessage(e), e);
        }
    }

    /** Reads metadata back from its stored form. */
    public EventMetadata metadata(String tenantId, String metadataJson) {
        if (metadataJson == null || metadataJson.equals("{}")) {
            return tenantId == null ? EventMetadata.EMPTY : EventMetadata.EMPTY.withTenantId(tenantId);
        }
        try {
            JsonNode node = json.readTree(metadataJson);
            Map<String, String> extras = new LinkedHashMap<>();
            JsonNode extrasNode = node.path("extras");
            extrasNode.fields().forEachRemaining(f -> extras.put(f.getKey(), f.getValue().asText()));
            return new EventMetadata(tenantId, uuid(node, "actorId"), uuid(node, "correlationId"),
                    uuid(node, "causationId"), extras);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SerializationException("metadata", "Stored metadata is not valid: " + rootMessage(e), e);
        }
    }

    private void verifyReadable(Class<? extends DomainEvent> type, String typeName, String payloadJson) {
        try {
            json.readValue(payloadJson, type);
            verified.put(type, Boolean.TRUE);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException(typeName, "Event " + typeName + " (" + type.getName()
                    + ") serializes to JSON that cannot be read back: " + rootMessage(e)
                    + ". Make it a record (or give it a Jackson creator). Nothing was written.", e);
        }
    }

    /** True when JSON text holds the escape of U+0000 (Jackson writes NUL only that way). */
    private static boolean hasNul(String json) {
        for (int i = json.indexOf("\\u0000"); i >= 0; i = json.indexOf("\\u0000", i + 1)) {
            int backslashes = 0;
            for (int j = i - 1; j >= 0 && json.charAt(j) == '\\'; j--) {
                backslashes++;
            }
            if (backslashes % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    private static UUID uuid(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : UUID.fromString(value.asText());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
