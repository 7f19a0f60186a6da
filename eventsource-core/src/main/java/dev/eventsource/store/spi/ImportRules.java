package dev.eventsource.store.spi;

import dev.eventsource.event.SerializationException;
import dev.eventsource.store.EventLimits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link EventImporter} contract, implemented once. A backend checks the batch with
 * {@link #requireValid} and continues with the batch it returns, then gathers the facts inside its write transaction (where the batch's
 * event ids are already stored, and the current version of each stream the batch touches) and
 * writes exactly the rows {@link #decide} returns, in that order, or nothing if it throws.
 */
public final class ImportRules {

    private ImportRules() {
    }

    /**
     * Refuses a batch that cannot be imported whatever the target holds: null, holding a null row or
     * a row without an event id, event type, time, metadata or payload ({@link IllegalArgumentException}),
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
                    : row.eventType() == null ? "eventType" : row.occurredAt() == null ? "occurredAt"
                    : row.recordedAt() == null ? "recordedAt" : row.metadataJson() == null ? "metadataJson"
                    : row.payloadJson() == null ? "payloadJson" : null;
            if (missing != null) {
                throw new IllegalArgumentException("row " + i + " of the import batch has no " + missing
                        + "; every imported row needs its full identity, times, metadata and payload");
            }
            row.stream();
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
            EventLimits.requireJsonObject("payload", row.payloadJson());
            EventLimits.requireJsonObject("metadata", row.metadataJson());
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
     * The rows of {@code batch} to write, in batch order; the others are already stored where the
     * batch puts them.
     *
     * @param stored   the batch's event ids that the target already stores, and where
     * @param versions the target's current version of streams the batch touches; a stream not in
     *                 the map is at version 0
     * @throws ImportConflictException if an id is stored (or repeated in the batch) at another
     *                                 place, or a row's version does not directly follow its stream's
     */
    public static List<RecordedEvent> decide(List<RecordedEvent> batch, Map<UUID, ExistingEvent> stored,
                                             Map<StreamKey, Long> versions) {
        Map<StreamKey, Long> current = new HashMap<>();
        Map<UUID, ExistingEvent> seen = new HashMap<>(stored);
        List<RecordedEvent> toWrite = new ArrayList<>(batch.size());
        for (RecordedEvent row : batch) {
            ExistingEvent where = seen.get(row.eventId());
            if (where != null) {
                if (!where.stream().equals(row.stream()) || where.version() != row.version()) {
                    throw ImportConflictException.elsewhere(row, where.stream(), where.version());
                }
                continue;
            }
            long version = current.computeIfAbsent(row.stream(), k -> versions.getOrDefault(k, 0L));
            if (row.version() != version + 1) {
                throw ImportConflictException.outOfSequence(row, version);
            }
            current.put(row.stream(), row.version());
            // An id may repeat inside one batch too; it must meet the same rule as one already stored.
            seen.put(row.eventId(), new ExistingEvent(row.eventId(), row.stream(), row.version(), 0));
            toWrite.add(row);
        }
        return toWrite;
    }
}
