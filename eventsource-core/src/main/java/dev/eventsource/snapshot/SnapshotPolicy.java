package dev.eventsource.snapshot;

/**
 * When a repository takes a snapshot on save.
 *
 * <p>{@link #everyEvents(int) everyEvents(n)} snapshots whenever a save <em>crosses</em> a multiple
 * of {@code n}: a save from version 98 to 102 with {@code n = 100} snapshots at 102, not only a
 * save that lands exactly on 100.
 */
public final class SnapshotPolicy {

    private static final SnapshotPolicy NEVER = new SnapshotPolicy(0);

    private final int every;

    private SnapshotPolicy(int every) {
        this.every = every;
    }

    /** Only manual snapshots ({@code AggregateRepository.createSnapshot}). */
    public static SnapshotPolicy never() {
        return NEVER;
    }

    /**
     * Snapshot when a save crosses a multiple of {@code n} events.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static SnapshotPolicy everyEvents(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("snapshot interval must be >= 1 event; got " + n + " (use never() to disable)");
        }
        return new SnapshotPolicy(n);
    }

    /** True when a save that moved the stream from {@code before} to {@code after} should snapshot. */
    public boolean shouldSnapshot(long before, long after) {
        return every > 0 && after > before && after / every > before / every;
    }

    @Override
    public String toString() {
        return every == 0 ? "never" : "every " + every + " events";
    }
}
