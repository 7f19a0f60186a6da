package dev.eventsource.test;

/** Exercise 12-1 on an in-memory SQLite database, as the tutorial runs it. */
@EventStoreTest(backend = Backend.SQLITE_MEMORY, events = Exercise12Fixtures.ItemCreated.class)
class Exercise12SQLiteTest extends Exercise12Fixtures {
}
