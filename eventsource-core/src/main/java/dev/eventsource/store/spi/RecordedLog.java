package dev.eventsource.store.spi;

import dev.eventsource.store.EventLookup;
import dev.eventsource.store.RecordedEventReader;

/**
 * What a consumer in the same process needs from a store beyond its public roles: its stored rows
 * (read without decoding), the {@link EventMapper} that decodes them and writes its JSON, its point
 * queries, and its in-process {@link AppendSignal}. A subscription reads rows through it so that it
 * can dead-letter the one row it cannot decode; a repository writes snapshot JSON with the mapper.
 *
 * <p>Every store built on {@link AbstractEventStore} is one, and hands itself out from
 * {@link dev.eventsource.store.EventStore#recordedLog()}; a backend's
 * {@code dev.eventsource.backend.EventStoreBackend} hands it out as {@code log()}.
 */
public interface RecordedLog extends RecordedEventReader, EventLookup {

    /** The mapper the store serializes and deserializes with (its registry included). */
    EventMapper mapper();

    /** Wake-ups after appends through this store instance. */
    AppendSignal appendSignal();
}
