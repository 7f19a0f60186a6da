package dev.eventsource.store;


import java.util.stream.Stream;

/**
 * Reads the global log as stored rows, without deserializing payloads, so tools can inspect and
 * copy any application's store without its event classes. Same paging contract as
 * {@link dev.eventsource.store.EventLogReader#readAll(ReadOptions)}.
 */
public interface RecordedEventReader {

    /** The rows selected by {@code options}, lazily, page by page. */
    Stream<RecordedEvent> readRecorded(ReadOptions options);

    /** The rows of one stream with a version above {@code afterVersion}, and its current version. */
    RecordedStream readRecordedStream(StreamId stream, long afterVersion);
}
