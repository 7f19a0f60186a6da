/**
 * The inbox: exactly-once effects for a consumer whose read model is in SQLite or PostgreSQL.
 * {@link dev.eventsource.inbox.Inbox#exactlyOnce} wraps an {@link dev.eventsource.inbox.InboxHandler}
 * into a bus {@link dev.eventsource.bus.EventHandler} that records each processed event id in the
 * same transaction as the handler's statements, so an at-least-once bus yields each event's
 * effects once. See {@code docs/inbox.md}.
 */
package dev.eventsource.inbox;
