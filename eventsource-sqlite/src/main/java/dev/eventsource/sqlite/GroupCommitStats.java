package dev.eventsource.sqlite;

/**
 * How well group commit is grouping. With one writer thread every append is its own commit; with
 * many concurrent writers several appends share one commit, and so one sync to disk. Only
 * transactions that wrote events count: a group whose appends all lost their version check or
 * were idempotent retries writes nothing and is not committed.
 *
 * @param commits transactions committed since the store was created
 * @param appends successful appends in those transactions
 * @param events  events those transactions wrote
 */
public record GroupCommitStats(long commits, long appends, long events) {

    /** Appends per commit; 0 before the first commit. */
    public double appendsPerCommit() {
        return commits == 0 ? 0 : (double) appends / commits;
    }

    /** Events per commit; 0 before the first commit. */
    public double eventsPerCommit() {
        return commits == 0 ? 0 : (double) events / commits;
    }
}
