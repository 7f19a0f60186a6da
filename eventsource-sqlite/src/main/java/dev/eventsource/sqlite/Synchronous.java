package dev.eventsource.sqlite;

/**
 * How hard SQLite works to make a commit durable ({@code PRAGMA synchronous}).
 *
 * <p>Either way an acknowledged append survives the application crashing or being killed; the
 * levels differ only when the operating system crashes or the power fails.
 */
public enum Synchronous {

    /**
     * The default: every commit is synced to disk before the append returns, so an acknowledged
     * append survives power loss. Group commit shares one sync among concurrent appends.
     */
    FULL,

    /**
     * Opt-in, faster: in WAL mode the log is synced only at checkpoints, so the last appends
     * acknowledged before a power loss or OS crash may be lost (the database stays consistent).
     */
    NORMAL
}
