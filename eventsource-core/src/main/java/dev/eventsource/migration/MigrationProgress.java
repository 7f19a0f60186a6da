package dev.eventsource.migration;

/**
 * A progress report of a running copy, delivered after each batch.
 *
 * @param read           source events read so far
 * @param copied         events written to the target so far
 * @param skipped        events the target already had (a resumed copy)
 * @param sourcePosition the global position of the last source event read
 * @param sourceEnd      the source's global position when the copy started (an upper bound of the work)
 */
public record MigrationProgress(long read, long copied, long skipped, long sourcePosition, long sourceEnd) {

    /** Fraction of the source done, from 0 to 1. */
    public double fraction() {
        return sourceEnd == 0 ? 1.0 : Math.min(1.0, (double) sourcePosition / sourceEnd);
    }
}
