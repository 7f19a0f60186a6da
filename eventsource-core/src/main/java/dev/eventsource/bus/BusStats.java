package dev.eventsource.bus;

/**
 * Counters of a bus since it was created. A publisher-only adapter reports zeros for the consumer
 * counters and a consumer-only one zero for {@code published}.
 *
 * @param published    events accepted by {@code publish}, each counted once however many groups receive it
 * @param delivered    handler calls that returned normally, one per event and group
 * @param failed       handler calls that threw, one per attempt
 * @param deadLettered events a group gave up on and dead-lettered
 * @param pending      deliveries accepted but not yet finished, one per event and group
 * @param subscribers  live subscriptions
 */
public record BusStats(long published, long delivered, long failed, long deadLettered, long pending, int subscribers) {
}
