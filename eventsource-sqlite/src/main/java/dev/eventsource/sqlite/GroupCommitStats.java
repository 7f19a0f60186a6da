package dev.eventsource.sqlite;

/**
 * How well group commit is grouping: appends committed and the transactions they took. With one
 * writer thread every append is its own commit; with many concurrent writers several appends
 * share one commit (and one sync to disk).
 *
 * @param commits transactions committed since the store was created
 * @param appends successful appends in those transactions
 */
public record GroupCommitStats(long commits, long appends) {

    /** Appends per commit; 0 before the first commit. */
    public double appendsPerCommit() {
        return commits == 0 ? 0 : (double) appends / commits;
    }
}
