package dev.eventsource.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The import role: writes events that already have an identity, as they were stored elsewhere
 * (event id, stream, version, occurrence and recording time, tenant, metadata, payload JSON).
 * Used to migrate between backends and to import exports. Payloads are not deserialized, so no
 * event class is needed.
 *
 * <p>Contract:
 * <ul>
 *   <li>A batch is written atomically, in the order given; global positions are assigned by the
 *       target and preserve that order.</li>
 *   <li>Idempotent: a row whose event id is already stored in the same stream at the same version,
 *       with the same content (event type, schema version, times, tenant, and metadata and payload
 *       as JSON values), is skipped, so re-running an interrupted import resumes without
 *       duplicating.</li>
 *   <li>Refused, with nothing of the batch written: an event id stored at another place or at the
 *       same place with other content, and a row whose version does not directly follow its
 *       stream's current version (a gap or an overlap with different events).</li>
 * </ul>
 */
public interface EventImporter {

    /** Imports one batch; see the class contract. */
    ImportResult importRecorded(List<RecordedEvent> batch);

    /**
     * The rows already stored under any of {@code eventIds}, as stored, keyed by event id; ids not
     * stored are absent. Lets a caller that re-imports a file recognise rows already there (same
     * id, same place, same content) without building them, looking ids up in bulk. Only a hint: it
     * reads outside any import transaction, so {@link #importRecorded} still decides every row it
     * is given, under the contract above.
     *
     * <p>The default knows nothing and returns an empty map (every row then goes through
     * {@link #importRecorded}); the SQL backends look the ids up in a few indexed queries.
     *
     * @param eventIds the ids to look up, at most 100,000 at a time
     * @return the stored rows among them, by event id
     * @throws IllegalArgumentException if {@code eventIds} is null, holds a null, or holds more than 100,000 ids
     */
    default Map<UUID, RecordedEvent> storedEvents(Collection<UUID> eventIds) {
        requireLookup(eventIds);
        return Map.of();
    }

    /**
     * Checks the argument of {@link #storedEvents}, for implementations.
     *
     * @param eventIds the ids to look up
     * @throws IllegalArgumentException if it is null, holds a null, or holds more than 100,000 ids
     */
    static void requireLookup(Collection<UUID> eventIds) {
        if (eventIds == null) {
            throw new IllegalArgumentException("eventIds must not be null; pass List.of() to look up nothing");
        }
        if (eventIds.size() > 100_000) {
            throw new IllegalArgumentException("at most 100,000 event ids are looked up at a time; got " + eventIds.size()
                    + ". Look them up in slices.");
        }
        for (UUID id : eventIds) {
            if (id == null) {
                throw new IllegalArgumentException("eventIds must not hold a null id");
            }
        }
    }

    /** How many rows of a batch were written and how many were already there. */
    record ImportResult(int imported, int skipped) {
    }
}
