package dev.eventsource.store.spi;

import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StreamId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eventsource.event.SerializationException;
import dev.eventsource.store.EventLimits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The {@link EventImporter} contract, implemented once. A backend checks the batch with
 * {@link #requireValid} and continues with the batch it returns, then gathers the facts inside its
 * write transaction (where the batch's event ids are already stored, as stored, and the current
 * version of each stream the batch touches) and writes exactly the rows {@link #decide} returns, in
 * that order, or nothing if it throws.
 */
public final class ImportRules {

    /** Reads stored JSON only to compare it; decimals as BigDecimal so no digit is lost in the comparison. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** Numbers compare by value ({@code 1.50} equals {@code 1.5}, {@code -0.0} equals {@code 0}); everything else by equals. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private ImportRules() {
    }

    /**
     * Refuses a batch that cannot be imported whatever the target holds: null, holding a null row or
     * a row without an event id, aggregate id, aggregate type, event type, time, metadata or payload ({@link IllegalArgumentException}),
     * or holding a row outside {@link EventLimits} ({@link SerializationException} naming the row's
     * event id): names, text, payload and metadata JSON (each one JSON object; metadata as a mapper
     * writes it), times, and a schema version from 1. So an import accepts exactly what an append
     * accepts, and everything it stores can be read back.
     *
     * @return the batch to import: the same rows, with times truncated to microseconds like appended ones
     * @throws IllegalArgumentException naming the first incomplete row
     * @throws SerializationException   naming the first row outside the limits
     */
    public static List<RecordedEvent> requireValid(List<RecordedEvent> batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null; pass List.of() to import nothing");
        }
        List<RecordedEvent> valid = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            RecordedEvent row = batch.get(i);
            String missing = row == null ? "the row" : row.eventId() == null ? "eventId"
                    : row.aggregateId() == null ? "aggregateId"
                    : row.aggregateType() == null || row.aggregateType().isBlank() ? "aggregateType"
                    : row.eventType() == null ? "eventType" : row.occurredAt() == null ? "occurredAt"
                    : row.recordedAt() == null ? "recordedAt" : row.metadataJson() == null ? "metadataJson"
                    : row.payloadJson() == null ? "payloadJson" : null;
            if (missing != null) {
                throw new IllegalArgumentException("row " + i + " of the import batch has no " + missing
                        + "; every imported row needs its full identity, times, metadata and payload");
            }
            valid.add(requireStorable(i, row));
        }
        return valid;
    }

    private static RecordedEvent requireStorable(int index, RecordedEvent row) {
        Instant occurredAt = EventMapper.truncate(row.occurredAt());
        Instant recordedAt = EventMapper.truncate(row.recordedAt());
        try {
            EventLimits.requireName("aggregateType", row.aggregateType());
            EventLimits.requireName("eventType", row.eventType());
            if (row.tenantId() != null) {
                EventLimits.requireName("tenantId", row.tenantId());
            }
            if (row.schemaVersion() < 1) {
                throw new IllegalArgumentException("schemaVersion must be at least 1; got " + row.schemaVersion());
            }
            EventLimits.requireTime("occurredAt", occurredAt);
            EventLimits.requireTime("recordedAt", recordedAt);
            JsonObjectScan.requireStorable("payload", row.payloadJson());
            JsonObjectScan.requireStorable("metadata", row.metadataJson());
            EventMapper.requireReadableMetadata(row.tenantId(), row.metadataJson());
        } catch (IllegalArgumentException | SerializationException e) {
            throw new SerializationException(row.eventType(), row.eventId(), "Cannot import row " + index + " of the batch,"
                    + " event " + row.eventId() + " (" + abbreviate(row.eventType()) + ") at " + abbreviate(row.aggregateType())
                    + "/" + row.aggregateId() + " v" + row.version() + ": " + e.getMessage()
                    + " Nothing of the batch was imported.", e);
        }
        if (occurredAt.equals(row.occurredAt()) && recordedAt.equals(row.recordedAt())) {
            return row;
        }
        return new RecordedEvent(row.eventId(), row.eventType(), row.schemaVersion(), row.aggregateId(), row.aggregateType(),
                row.version(), row.globalPosition(), occurredAt, recordedAt, row.tenantId(), row.metadataJson(),
                row.payloadJson());
    }

    private static String abbreviate(String name) {
        return name.length() <= 60 ? name : name.substring(0, 57) + "...";
    }

    /**
     * The rows of {@code batch} to write, in batch order; the others are already stored, with the
     * same content, where the batch puts them.
     *
     * <p>A row whose id is stored at its place is "already there" only if it is the same event:
     * same event type, schema version, occurrence and recording time, tenant, metadata and payload.
     * Metadata and payload are compared as JSON values, not as text, since backends may store the
     * same JSON with other whitespace, key order or number notation (PostgreSQL's {@code jsonb}).
     *
     * @param stored   the batch's event ids that the target already stores, as stored (place and content)
     * @param versions the target's current version of streams the batch touches; a stream not in
     *                 the map is at version 0
     * @throws ImportConflictException if an id is stored (or repeated in the batch) at another
     *                                 place or with other content, or a row's version does not
     *                                 directly follow its stream's
     */
    public static List<RecordedEvent> decide(List<RecordedEvent> batch, Map<UUID, RecordedEvent> stored,
                                             Map<StreamId, Long> versions) {
        Map<StreamId, Long> current = new HashMap<>();
        Map<UUID, RecordedEvent> seen = new HashMap<>(stored);
        List<RecordedEvent> toWrite = new ArrayList<>(batch.size());
        for (RecordedEvent row : batch) {
            RecordedEvent there = seen.get(row.eventId());
            if (there != null) {
                if (!there.stream().equals(row.stream()) || there.version() != row.version()) {
                    throw ImportConflictException.elsewhere(row, there.stream(), there.version());
                }
                List<String> differences = differences(there, row);
                if (!differences.isEmpty()) {
                    throw ImportConflictException.altered(row, differences);
                }
                continue;
            }
            long version = current.computeIfAbsent(row.stream(), k -> versions.getOrDefault(k, 0L));
            if (row.version() != version + 1) {
                throw ImportConflictException.outOfSequence(row, version);
            }
            current.put(row.stream(), row.version());
            // An id may repeat inside one batch too; it must meet the same rule as one already stored.
            seen.put(row.eventId(), row);
            toWrite.add(row);
        }
        return toWrite;
    }

    /** The fields in which two rows with one id at one place differ; empty when they are the same event. */
    private static List<String> differences(RecordedEvent stored, RecordedEvent row) {
        List<String> differ = new ArrayList<>();
        if (!Objects.equals(stored.eventType(), row.eventType())) {
            differ.add("eventType");
        }
        if (stored.schemaVersion() != row.schemaVersion()) {
            differ.add("schemaVersion");
        }
        if (!Objects.equals(stored.occurredAt(), row.occurredAt())) {
            differ.add("occurredAt");
        }
        if (!Objects.equals(stored.recordedAt(), row.recordedAt())) {
            differ.add("recordedAt");
        }
        if (!Objects.equals(stored.tenantId(), row.tenantId())) {
            differ.add("tenantId");
        }
        if (!sameJson(stored.metadataJson(), row.metadataJson())) {
            differ.add("metadata");
        }
        if (!sameJson(stored.payloadJson(), row.payloadJson())) {
            differ.add("payload");
        }
        return differ;
    }

    private static boolean sameJson(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            // No metadata and empty metadata are the same thing; backends store either.
            return "{}".equals(a == null ? b.strip() : a.strip());
        }
        try {
            return JSON.readTree(a).equals(SAME_VALUE, JSON.readTree(b));
        } catch (JsonProcessingException e) {
            // Text that is not JSON is equal only as the same text, checked above.
            return false;
        }
    }
}
