package dev.eventsource.tck;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.spi.AbstractEventStore;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.RecordedPage;
import dev.eventsource.store.RecordedStream;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamId;

import java.util.List;
import java.util.UUID;

/** A store that claims to import everything and keeps nothing: {@link ImportContract} must fail against it. */
final class NoOpImportingEventStore extends AbstractEventStore implements EventImporter {

    NoOpImportingEventStore(EventRegistry registry) {
        super("NoOpImportingEventStore", registry, false);
    }

    @Override
    public ImportResult importRecorded(List<RecordedEvent> batch) {
        return new ImportResult(batch.size(), 0);
    }

    @Override
    protected void doInitialize() {
    }

    @Override
    protected AppendResult doAppend(StreamId stream, List<SerializedEvent> events, ExpectedVersion expected) {
        return new AppendResult(0, 0);
    }

    @Override
    protected RecordedStream doReadStream(StreamId stream, long afterVersion) {
        return new RecordedStream(List.of(), 0);
    }

    @Override
    protected RecordedPage doReadPage(ReadOptions options, long cursor, int max) {
        return new RecordedPage(List.of(), cursor == Long.MAX_VALUE ? 0 : cursor, true);
    }

    @Override
    protected long doStreamVersion(StreamId stream) {
        return 0;
    }

    @Override
    protected boolean doEventExists(UUID eventId) {
        return false;
    }

    @Override
    protected long doGlobalPosition() {
        return 0;
    }

    @Override
    protected void doClose() {
    }
}
