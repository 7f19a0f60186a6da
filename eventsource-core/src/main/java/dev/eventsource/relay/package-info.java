/**
 * The log is the outbox: {@link dev.eventsource.relay.EventRelay} tails a store's global log from
 * a durable checkpoint and publishes every committed event to an
 * {@link dev.eventsource.bus.EventPublisher} (a broker adapter), at least once, in log order,
 * advancing the checkpoint only after the publisher acknowledged. An append that rolled back never
 * reached the log, so it is never published; there is no outbox table and no dual write. One relay
 * per name is active across application instances, through the backend's
 * {@link dev.eventsource.lock.ExclusiveLocks}. See {@code docs/bus.md} and ADR 0003.
 */
package dev.eventsource.relay;

import dev.eventsource.lock.ExclusiveLocks;
