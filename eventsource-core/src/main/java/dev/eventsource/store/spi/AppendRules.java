package dev.eventsource.store.spi;

import dev.eventsource.store.StreamId;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.OptimisticLockException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The append semantics every backend shares, implemented once: the expected-version check, the
 * idempotent-retry rule and duplicate skipping. A backend gathers the facts inside its write
 * transaction (the stream's current version and which of the incoming ids already exist) and
 * writes exactly what {@link #decide} says.
 */
public final class AppendRules {

    private AppendRules() {
    }

    /** What to do with an append. */
    public sealed interface Decision permits Retry, Write {
    }

    /** The append was already done: return its original result and write nothing. */
    public record Retry(AppendResult result) implements Decision {
    }

    /**
     * Write {@code events} with versions {@code firstVersion, firstVersion + 1, ...};
     * {@code skipped} were not written because their ids exist elsewhere.
     */
    public record Write(List<SerializedEvent> events, long firstVersion, List<UUID> skipped) implements Decision {

        /** The result to return once written; {@code lastPosition} is the position of the last row written. */
        public AppendResult result(long lastPosition) {
            long newVersion = firstVersion - 1 + events.size();
            return new AppendResult(newVersion, events.isEmpty() ? 0 : lastPosition, skipped);
        }
    }

    /**
     * Decides an append.
     *
     * @param stream         the stream appended to
     * @param expected       the caller's expectation
     * @param currentVersion the stream's version inside the write transaction
     * @param events         the incoming events, ids unique within the list
     * @param existing       the incoming ids that are already stored, and where
     * @throws OptimisticLockException when the expectation fails and the append is not a retry
     */
    public static Decision decide(StreamId stream, ExpectedVersion expected, long currentVersion,
                                  List<SerializedEvent> events, Map<UUID, ExistingEvent> existing) {
        if (!events.isEmpty() && existing.size() == events.size()) {
            AppendResult original = originalResult(stream, expected, events, existing);
            if (original != null) {
                return new Retry(original);
            }
        }
        if (!expected.isSatisfiedBy(currentVersion)) {
            throw new OptimisticLockException(stream.aggregateId(), stream.aggregateType(), expected, currentVersion);
        }
        if (existing.isEmpty()) {
            return new Write(events, currentVersion + 1, List.of());
        }
        List<SerializedEvent> toWrite = new ArrayList<>(events.size());
        List<UUID> skipped = new ArrayList<>();
        for (SerializedEvent e : events) {
            if (existing.containsKey(e.eventId())) {
                skipped.add(e.eventId());
            } else {
                toWrite.add(e);
            }
        }
        return new Write(toWrite, currentVersion + 1, skipped);
    }

    /**
     * The caller's expectation narrowed to a version that was read (with its owner) before the
     * append, for appends that check first and append second: an exact expectation stands; any
     * other becomes "exactly {@code checked}" ({@link ExpectedVersion#NO_STREAM} for 0, unless the
     * caller demanded {@link ExpectedVersion#STREAM_EXISTS}), so the append fails if a writer moved
     * the stream in between and the caller checks again.
     */
    public static ExpectedVersion pinned(ExpectedVersion expected, long checked) {
        if (expected.isExact()) {
            return expected;
        }
        if (checked == 0) {
            return expected.equals(ExpectedVersion.ANY) ? ExpectedVersion.NO_STREAM : expected;
        }
        return ExpectedVersion.exactly(checked);
    }

    /** The original result if every event sits, in order, in this stream right after the expected version. */
    private static AppendResult originalResult(StreamId stream, ExpectedVersion expected, List<SerializedEvent> events,
                                               Map<UUID, ExistingEvent> existing) {
        ExistingEvent first = existing.get(events.get(0).eventId());
        long firstVersion = expected.isExact() ? expected.version() + 1 : first.version();
        ExistingEvent last = null;
        for (int i = 0; i < events.size(); i++) {
            ExistingEvent e = existing.get(events.get(i).eventId());
            if (!e.stream().equals(stream) || e.version() != firstVersion + i) {
                return null;
            }
            last = e;
        }
        return new AppendResult(last.version(), last.globalPosition());
    }
}
