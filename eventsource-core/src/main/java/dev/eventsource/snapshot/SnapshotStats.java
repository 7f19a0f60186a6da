package dev.eventsource.snapshot;

/**
 * What a repository's snapshotting has done so far.
 *
 * @param taken        snapshots written
 * @param failed       snapshots that could not be written (the saves still succeeded)
 * @param loaded       loads that started from a snapshot
 * @param ignored      snapshots ignored on load because of another schema version, state that is not exactly what
 *                     the mapper writes (read strictly: not JSON, {@code null}, missing or unknown properties), a
 *                     version ahead of the stream, or a store failure
 */
public record SnapshotStats(long taken, long failed, long loaded, long ignored) {
}
