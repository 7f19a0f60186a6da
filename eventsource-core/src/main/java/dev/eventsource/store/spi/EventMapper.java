package dev.eventsource.store.spi;

import dev.eventsource.store.RecordedEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import dev.eventsource.event.UnknownEventTypeException;
import dev.eventsource.event.Upcaster;
import dev.eventsource.store.EventLimits;
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
 * name is refused), the payload is serialized, every event is checked against
 * {@link EventLimits} (names, text, JSON size, nesting and numbers, time), and the first time a
 * class is seen its JSON is read back once, so a record that could be written but never read again
 * is refused before it reaches any store. On read, the stored type name is looked up, the payload
 * is upcast from its stored schema version to the class's current one, and deserialized; the
 * default Jackson configuration reads with the same limits it writes with.
 *
 * <p>Thread-safe.
 */
public final class EventMapper {

    private static final ObjectMapper DEFAULT_JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(EventLimits.streamReadConstraints())
                    .streamWriteConstraints(EventLimits.streamWriteConstraints())
                    .addDecorator(new NegativeZeroAsZero())
                    .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .build())
            .addModule(new JavaTimeModule())
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("eventsource-fast-instant")
                    .addDeserializer(Instant.class, new FastInstantDeserializer())
                    .addSerializer(Instant.class, new FastInstantSerializer()))
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final EventRegistry registry;
    private final ObjectMapper json;
    /**
     * The classes this mapper has written an event of, with their stored name and schema version:
     * a class is added once its name was checked, it was registered and its first payload read back,
     * so later events of it skip those steps (a registry never rebinds a name it holds).
     */
    private final Map<Class<?>, WrittenType> written = new ConcurrentHashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
    /**
     * What reading a stored type name needs, found once per name: its class, the class's schema
     * version and its reader. Safe to keep because a registry only ever adds names, never rebinds one.
     */
    private final Map<String, Decoder> decoders = new ConcurrentHashMap<>();
    private final GetterOnlyProperties getterOnly;
    /** See {@link #metadata(String, String)}; a plain field: a stale or missing value only costs a parse. */
    private LastMetadata lastMetadata;

    /** A mapper with the library's Jackson configuration. */
    public EventMapper(EventRegistry registry) {
        this(registry, DEFAULT_JSON);
    }

    /**
     * A mapper with your own Jackson configuration (it must handle {@code java.time} and records).
     * Events are still checked against {@link EventLimits} on write; give {@code json}'s factory
     * {@link EventLimits#streamReadConstraints()} (or looser ones), or an accepted event may fail
     * to read.
     */
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
     * @throws SerializationException                          if the payload cannot round-trip through JSON, or the
     *                                                         event is outside {@link EventLimits}; nothing is written
     * @throws dev.eventsource.event.DuplicateEventTypeException if another class owns its type name
     */
    public SerializedEvent serialize(NewEvent event) {
        DomainEvent payload = event.event();
        Class<? extends DomainEvent> type = payload.getClass();
        WrittenType known = written.get(type);
        String typeName = known != null ? known.name() : EventRegistry.typeName(type);
        if (known == null) {
            refuseUnlessStorable(typeName, () -> EventLimits.requireName("eventType", typeName));
            registry.register(type);
        }
        String payloadJson;
        try {
            payloadJson = json.writeValueAsString(payload);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            if (rootCause(e) instanceof StreamConstraintsException tooDeep) {
                throw new SerializationException(typeName, "Event " + typeName + " cannot be stored: its JSON exceeds a"
                        + " limit: " + tooDeep.getOriginalMessage() + " (see EventLimits). Nothing was written.", e);
            }
            throw new SerializationException(typeName, "Cannot serialize event " + typeName + " (" + type.getName()
                    + ") to JSON: " + rootMessage(e) + ". Use JSON-friendly components (records, strings, numbers, java.time,"
                    + " UUID, BigDecimal, enums, collections). Nothing was written.", e);
        }
        EventMetadata metadata = event.metadata();
        String metadataJson = metadataJson(metadata);
        Instant occurredAt = truncate(event.occurredAt());
        refuseUnlessStorable(typeName, () -> {
            EventLimits.requireTime("occurredAt", occurredAt);
            JsonObjectScan.requireStorable("payload", payloadJson);
            JsonObjectScan.requireStorable("metadata", metadataJson);
            if (metadata.tenantId() != null) {
                EventLimits.requireName("tenantId", metadata.tenantId());
            }
        });
        if (known == null) {
            verifyReadable(type, typeName, payloadJson);
            known = new WrittenType(typeName, EventRegistry.schemaVersion(type));
            written.put(type, known);
        }
        return new SerializedEvent(event.eventId(), typeName, known.schemaVersion(),
                occurredAt, metadata.tenantId(), metadataJson, payloadJson);
    }

    /** What {@link #serialize} stores for every event of a class it has written before. */
    private record WrittenType(String name, int schemaVersion) {
    }

    private static void refuseUnlessStorable(String typeName, Runnable checks) {
        try {
            checks.run();
        } catch (IllegalArgumentException e) {
            throw new SerializationException(typeName, "Event " + typeName + " cannot be stored: " + e.getMessage()
                    + " Nothing was written.", e);
        }
    }

    /**
     * Turns a stored row into the public event, upcasting old schema versions.
     *
     * @throws dev.eventsource.event.UnknownEventTypeException if the type name is not registered
     * @throws SerializationException                          if the row cannot be decoded for any other reason (JSON
     *                                                         that does not fit the record, a missing or failing
     *                                                         upcaster, nesting too deep for the stack); its message
     *                                                         names the event's id, type, stream, version and
     *                                                         global position
     */
    public StoredEvent toStoredEvent(RecordedEvent row) {
        try {
            return new StoredEvent(row.eventId(), row.eventType(), row.aggregateId(), row.aggregateType(), row.version(),
                    row.globalPosition(), row.occurredAt(), row.recordedAt(),
                    metadata(row.tenantId(), row.metadataJson()), payload(row.eventType(), row.schemaVersion(), row.payloadJson()));
        } catch (UnknownEventTypeException e) {
            // Not damage of this row: the reading process lacks a class, and the exception says which to register.
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            String reason = e instanceof SerializationException ? e.getMessage() : rootMessage(e);
            throw new SerializationException(row.eventType(), row.eventId(), "Cannot read stored event " + row.eventId()
                    + " (" + row.eventType() + " schema v" + row.schemaVersion() + ") at " + row.aggregateType() + "/"
                    + row.aggregateId() + " v" + row.version() + ", global position " + row.globalPosition() + ": "
                    + reason, e);
        }
    }

    /**
     * Deserializes a payload stored as {@code schemaVersion} of {@code eventType}.
     *
     * @throws dev.eventsource.event.UnknownEventTypeException if the type name is not registered
     * @throws SerializationException                          for every other failure, including a failing upcaster
     */
    public DomainEvent payload(String eventType, int schemaVersion, String payloadJson) {
        Decoder decoder = decoders.get(eventType);
        if (decoder == null) {
            decoder = decoder(eventType);
        }
        Class<? extends DomainEvent> type = decoder.type;
        int current = decoder.schemaVersion;
        try {
            if (schemaVersion == current) {
                return decoder.reader.readValue(payloadJson);
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
                object = upcast(step, eventType, from, object);
            }
            return json.treeToValue(object, type);
        } catch (SerializationException e) {
            throw e;
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            throw new SerializationException(eventType, "Cannot read stored " + eventType + " v" + schemaVersion + " as "
                    + type.getName() + ": " + rootMessage(e), e);
        }
    }

    /** The decoder of a registered name; throws {@link UnknownEventTypeException} (and caches nothing) for others. */
    private Decoder decoder(String eventType) {
        Class<? extends DomainEvent> type = registry.lookup(eventType);
        Decoder decoder = new Decoder(type, EventRegistry.schemaVersion(type), readers.computeIfAbsent(type, json::readerFor));
        Decoder raced = decoders.putIfAbsent(eventType, decoder);
        return raced != null ? raced : decoder;
    }

    private record Decoder(Class<? extends DomainEvent> type, int schemaVersion, ObjectReader reader) {
    }

    private static ObjectNode upcast(Upcaster step, String eventType, int from, ObjectNode payload) {
        ObjectNode next;
        try {
            next = step.upcast(payload);
        } catch (RuntimeException | StackOverflowError e) {
            throw new SerializationException(eventType, "The upcaster of " + eventType + " v" + from + " -> v" + (from + 1)
                    + " failed: " + rootMessage(e) + ". Fix the upcaster; the stored event is unchanged.", e);
        }
        if (next == null) {
            throw new SerializationException(eventType, "The upcaster of " + eventType + " v" + from + " -> v" + (from + 1)
                    + " returned null; it must return the payload of the next version.", null);
        }
        return next;
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
        if (metadata.actorId() == null && metadata.correlationId() == null && metadata.causationId() == null
                && metadata.extras().isEmpty()) {
            return "{}"; // what Jackson writes for no fields, without a generator per append
        }
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

    /**
     * Reads metadata back from its stored form.
     *
     * @throws SerializationException if it is not metadata this mapper writes
     */
    public EventMetadata metadata(String tenantId, String metadataJson) {
        if (metadataJson == null || metadataJson.equals("{}")) {
            return tenantId == null ? EventMetadata.EMPTY : EventMetadata.EMPTY.withTenantId(tenantId);
        }
        // Events appended together (a batch, an aggregate's save) carry the same metadata, trace context
        // included, and are read one after the other: the last one read is worth keeping. The holder's
        // fields are final, so a thread that sees another thread's holder sees it whole.
        LastMetadata last = lastMetadata;
        if (last != null && last.json.equals(metadataJson) && Objects.equals(last.tenantId, tenantId)) {
            return last.metadata;
        }
        EventMetadata metadata = readMetadata(json, tenantId, metadataJson);
        lastMetadata = new LastMetadata(tenantId, metadataJson, metadata);
        return metadata;
    }

    /** The metadata read last, with what it was read from; an {@link EventMetadata} is immutable, so it can be shared. */
    private static final class LastMetadata {
        final String tenantId;
        final String json;
        final EventMetadata metadata;

        LastMetadata(String tenantId, String json, EventMetadata metadata) {
            this.tenantId = tenantId;
            this.json = json;
            this.metadata = metadata;
        }
    }

    /**
     * Refuses metadata that {@link #metadata} could not read back with the default configuration;
     * for rows that are imported rather than written by a mapper.
     */
    static void requireReadableMetadata(String tenantId, String metadataJson) {
        readMetadata(DEFAULT_JSON, tenantId, metadataJson);
    }

    private static EventMetadata readMetadata(ObjectMapper json, String tenantId, String metadataJson) {
        if (metadataJson == null || metadataJson.equals("{}")) {
            return tenantId == null ? EventMetadata.EMPTY : EventMetadata.EMPTY.withTenantId(tenantId);
        }
        EventMetadata read = MetadataReader.read(json.getFactory(), tenantId, metadataJson);
        if (read != null) {
            return read;
        }
        // Shapes the library does not write (non-string extras, ids that are not strings), and damage:
        // the tree reading decides them, as it always has, so both readings agree on every input.
        return readMetadataTree(json, tenantId, metadataJson);
    }

    /** The general reading of stored metadata, through a tree: every shape, and the error for damage. */
    static EventMetadata readMetadataTree(ObjectMapper json, String tenantId, String metadataJson) {
        try {
            JsonNode node = json.readTree(metadataJson);
            Map<String, String> extras = new LinkedHashMap<>();
            JsonNode extrasNode = node.path("extras");
            extrasNode.fields().forEachRemaining(f -> extras.put(f.getKey(), f.getValue().asText()));
            return new EventMetadata(tenantId, uuid(node, "actorId"), uuid(node, "correlationId"),
                    uuid(node, "causationId"), extras);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            throw new SerializationException("metadata", "Stored metadata is not valid: " + rootMessage(e), e);
        }
    }

    private void verifyReadable(Class<? extends DomainEvent> type, String typeName, String payloadJson) {
        try {
            json.readValue(payloadJson, type);
        } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
            throw new SerializationException(typeName, "Event " + typeName + " (" + type.getName()
                    + ") serializes to JSON that cannot be read back: " + rootMessage(e)
                    + ". Make it a record (or give it a Jackson creator). Nothing was written.", e);
        }
    }

    private static UUID uuid(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : UUID.fromString(value.asText());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The root cause's first line, or its class name when it has no message (a stack overflow). */
    private static String rootMessage(Throwable e) {
        Throwable t = rootCause(e);
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
