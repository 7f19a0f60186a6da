package dev.eventsource.snapshot;

import java.util.Optional;
import java.util.UUID;

/**
 * Keeps at most one snapshot per stream.
 *
 * <p>Contract (pinned by the TCK's snapshot suite): {@link #save} is an upsert that never replaces
 * a snapshot with one of a lower version, so a slow background snapshot cannot overwrite a newer
 * one; {@link #find} returns what was saved, unchanged. Snapshots are a cache: losing one costs a
 * full replay, never correctness, which is why the repository treats every failure of this store
 * as "no snapshot". Thread-safe.
 */
public interface SnapshotStore {

    /** Stores the snapshot unless one with a higher version is already stored. */
    void save(Snapshot snapshot);

    /** The stream's snapshot, if any. */
    Optional<Snapshot> find(UUID aggregateId, String aggregateType);

    /** Removes the stream's snapshot; true if there was one. */
    boolean delete(UUID aggregateId, String aggregateType);

    /** Removes every snapshot of an aggregate type; returns how many. */
    int deleteAll(String aggregateType);

    /** Removes the snapshots of an aggregate type whose schema version is below {@code schemaVersion}; returns how many. */
    int deleteBelowSchemaVersion(String aggregateType, int schemaVersion);
}
