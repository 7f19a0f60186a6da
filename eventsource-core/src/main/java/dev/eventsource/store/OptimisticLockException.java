package dev.eventsource.store;

import dev.eventsource.EventSourceException;

import java.util.UUID;

/**
 * An append's {@link ExpectedVersion} did not match the stream. Nothing was written.
 *
 * <p>The usual reaction is to reload the aggregate, re-run the command on the fresh state and
 * save again.
 */
public class OptimisticLockException extends EventSourceException {

    private final UUID aggregateId;
    private final String aggregateType;
    private final ExpectedVersion expected;
    private final long actualVersion;

    public OptimisticLockException(UUID aggregateId, String aggregateType, ExpectedVersion expected, long actualVersion) {
        super("Concurrency conflict on " + aggregateType + " " + aggregateId + ": expected version " + expected
                + " but the stream is at version " + actualVersion + ". Nothing was written; reload and retry.");
        this.aggregateId = aggregateId;
        this.aggregateType = aggregateType;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    public UUID aggregateId() {
        return aggregateId;
    }

    public String aggregateType() {
        return aggregateType;
    }

    /** The expectation that failed. */
    public ExpectedVersion expected() {
        return expected;
    }

    /** The stream's version when the append was refused. */
    public long actualVersion() {
        return actualVersion;
    }
}
