/**
 * The SQLite event store, the embedded default: {@link dev.eventsource.sqlite.SQLiteEventStore}
 * on a file or {@code ":memory:"}, opened directly or with
 * {@code EventStores.open("sqlite:./events.db")} through {@link dev.eventsource.sqlite.SQLiteEventStoreProvider}.
 * {@link dev.eventsource.sqlite.SQLiteSnapshotStore} keeps aggregate snapshots in the same database.
 * Types in {@code dev.eventsource.sqlite.internal} are not part of the API.
 */
package dev.eventsource.sqlite;
