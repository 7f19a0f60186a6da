package dev.eventsource.store.spi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@link EventImporter} contract, implemented once. A backend checks the batch with
 * {@link #requireValid}, then gathers the facts inside its write transaction (where the batch's
 * event ids are already stored, and the current version of each stream the batch touches) and
 * writes exactly the rows {@link #decide} returns, in that order, or nothing if it throws.
 */
public final class ImportRules {

    private ImportRules() {
    }

    /**
     * Refuses a batch that cannot be imported whatever the target holds: null, or holding a null
     * row or a row without an event id, event type, time, metadata or payload.
     *
     * @return the batch
     * @throws IllegalArgumentException naming the first incomplete row
     */
    public static List<RecordedEvent> requireValid(List<RecordedEvent> batch) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null; pass List.of() to import nothing");
        }
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
        }
        return batch;
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
