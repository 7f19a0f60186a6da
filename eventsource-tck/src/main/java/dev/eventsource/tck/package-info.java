/**
 * The contract suites every {@link dev.eventsource.store.EventStore} backend runs (the TCK).
 *
 * <p>Add {@code eventsource-tck} in test scope and extend one class:
 * {@link dev.eventsource.tck.EventStoreContract} (implement {@code newStore(EventRegistry)}) to run
 * every suite, or {@link dev.eventsource.tck.PersistentEventStoreContract} (also implement
 * {@code reopen(EventStore, EventRegistry)}) when the store's data can be opened by a second
 * instance, which adds {@link dev.eventsource.tck.ReopenContract}. The suites can also be
 * extended one by one: {@link dev.eventsource.tck.AppendContract},
 * {@link dev.eventsource.tck.StreamReadContract}, {@link dev.eventsource.tck.GlobalReadContract},
 * {@link dev.eventsource.tck.LookupContract}, {@link dev.eventsource.tck.SerializationContract},
 * {@link dev.eventsource.tck.ValidationContract},
 * {@link dev.eventsource.tck.LifecycleContract}, {@link dev.eventsource.tck.ConcurrencyContract},
 * {@link dev.eventsource.tck.AggregateContract}, {@link dev.eventsource.tck.DifferentialContract} (the same random
 * operations against the store and the in-memory store, outcomes compared).
 *
 * <p>Optional suites for roles not every backend has: {@link dev.eventsource.tck.ImportContract}
 * (stores that implement {@code EventImporter}, as migration and import need) and
 * {@link dev.eventsource.tck.MultiWriterOrderingContract} (stores that many writers use at once).
 * Subscriptions: {@link dev.eventsource.tck.SubscriptionContract} (the subscription engine over the
 * backend's store, checkpoint store and dead-letter queue), {@link dev.eventsource.tck.CheckpointStoreContract}
 * and {@link dev.eventsource.tck.DeadLetterStoreContract}; backends with a
 * {@code TransactionalCheckpointStore} also run {@link dev.eventsource.tck.TransactionalSubscriptionContract}
 * (read model and checkpoint in one transaction).
 *
 * <p>Event buses: {@link dev.eventsource.tck.EventBusContract} runs the suites every bus passes
 * ({@link dev.eventsource.tck.EventBusDeliveryContract}, {@link dev.eventsource.tck.EventBusDeadLetterContract},
 * {@link dev.eventsource.tck.EventBusCompetingConsumersContract}); {@link dev.eventsource.tck.DurableEventBusContract}
 * adds {@link dev.eventsource.tck.EventBusRedeliveryContract} for a bus that declares durable groups. A bus
 * that declares a capability whose suite it does not run fails its contract.
 *
 * <p>Each test gets a fresh, empty store built with a fresh registry, and closes it. No suite can
 * skip a test: the TCK's own tests refuse assumptions and {@code @Disabled}, and prove that every
 * suite fails against a store that keeps nothing.
 *
 * <p>The inbox: {@link dev.eventsource.tck.InboxContract} (implement {@code newDatabase()}, {@code jdbcUrl()} and
 * {@code expectedDialect()}) pins exactly-once effects of {@code dev.eventsource.inbox.Inbox} on a database.
 */
package dev.eventsource.tck;

import dev.eventsource.store.EventImporter;
