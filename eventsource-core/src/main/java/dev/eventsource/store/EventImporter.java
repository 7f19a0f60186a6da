package dev.eventsource.store;

import java.util.List;

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

    /** How many rows of a batch were written and how many were already there. */
    record ImportResult(int imported, int skipped) {
    }
}
