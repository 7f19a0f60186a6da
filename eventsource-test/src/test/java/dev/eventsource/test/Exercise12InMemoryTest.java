package dev.eventsource.test;

/** Exercise 12-1 on the in-memory store: the same tests, the same results. */
@EventStoreTest(backend = Backend.IN_MEMORY, events = Exercise12Fixtures.ItemCreated.class)
class Exercise12InMemoryTest extends Exercise12Fixtures {
}
