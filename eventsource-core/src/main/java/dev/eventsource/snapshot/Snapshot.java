package dev.eventsource.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The serialized state of one aggregate at one version.
 *
 * @param aggregateId   the stream's aggregate id
 * @param aggregateType the stream's aggregate type
 * @param version       the stream version the state includes (events up to and including it)
 * @param schemaVersion the aggregate's snapshot schema version when it was taken
 * @param stateJson     the state as JSON, written by the same Jackson configuration as events
 * @param takenAt       when it was taken
 */
public record Snapshot(UUID aggregateId, String aggregateType, long version, int schemaVersion, String stateJson,
                       Instant takenAt) {

    public Snapshot {
        Objects.requireNonNull(aggregateId, "aggregateId");
        if (aggregateType == null || aggregateType.isBlank()) {
            throw new IllegalArgumentException("aggregateType must be non-blank");
        }
        if (version < 1) {
            throw new IllegalArgumentException("a snapshot is taken after at least one event; version was " + version);
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion counts from 1; got " + schemaVersion);
        }
        Objects.requireNonNull(stateJson, "stateJson");
        Objects.requireNonNull(takenAt, "takenAt");
    }
}
