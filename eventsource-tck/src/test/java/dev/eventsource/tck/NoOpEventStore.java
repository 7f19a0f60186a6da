package dev.eventsource.tck;

import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** A store that accepts everything, keeps nothing and answers "empty": every suite must fail against it. */
final class NoOpEventStore implements EventStore {

    @Override
    public void initialize() {
    }

    @Override
    public void close() {
    }

    @Override
    public AppendResult append(UUID aggregateId, String aggregateType, List<NewEvent> events, ExpectedVersion expected) {
        return new AppendResult(0, 0);
    }

    @Override
    public EventStream getEvents(UUID aggregateId, String aggregateType, long afterVersion) {
        return new EventStream(aggregateId, aggregateType, List.of(), 0);
    }

    @Override
    public Stream<StoredEvent> readAll(ReadOptions options) {
        return Stream.empty();
    }

    @Override
    public long getStreamVersion(UUID aggregateId, String aggregateType) {
        return 0;
    }

    @Override
    public boolean eventExists(UUID eventId) {
        return false;
    }

    @Override
    public long globalPosition() {
        return 0;
    }
}
