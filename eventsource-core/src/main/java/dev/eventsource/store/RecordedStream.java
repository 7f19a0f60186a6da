package dev.eventsource.store;

import java.util.List;

/** What a backend returns for a stream read: the rows read and the stream's current version. */
public record RecordedStream(List<RecordedEvent> events, long version) {
}
