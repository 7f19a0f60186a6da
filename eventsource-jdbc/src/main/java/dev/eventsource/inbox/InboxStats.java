package dev.eventsource.inbox;

/**
 * What one {@link Inbox} object did since it was built, in this process (the table holds no
 * counters; another process's inbox on the same table counts its own).
 *
 * @param processed         deliveries whose effects were committed (each event id once per group)
 * @param duplicatesSkipped deliveries of an event the group had already processed: nothing was applied
 * @param failed            deliveries rolled back because the handler or the database failed
 */
public record InboxStats(long processed, long duplicatesSkipped, long failed) {
}
