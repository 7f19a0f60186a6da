package dev.eventsource.store;

import java.util.Objects;

/**
 * What an append expects of its stream's current version: the optimistic concurrency check.
 *
 * <ul>
 *   <li>{@link #ANY}: never conflicts.</li>
 *   <li>{@link #NO_STREAM}: the stream must be empty; identical to {@code exactly(0)}.</li>
 *   <li>{@link #STREAM_EXISTS}: the stream must hold at least one event.</li>
 *   <li>{@link #exactly(long)}: the stream's version must be exactly {@code n}.</li>
 * </ul>
 *
 * Values compare equal by kind and number. A failed check throws
 * {@link OptimisticLockException} and writes nothing.
 */
public final class ExpectedVersion {

    private enum Kind { ANY, EXACT, STREAM_EXISTS }

    public static final ExpectedVersion ANY = new ExpectedVersion(Kind.ANY, -1);
    public static final ExpectedVersion NO_STREAM = new ExpectedVersion(Kind.EXACT, 0);
    public static final ExpectedVersion STREAM_EXISTS = new ExpectedVersion(Kind.STREAM_EXISTS, -1);

    private final Kind kind;
    private final long version;

    private ExpectedVersion(Kind kind, long version) {
        this.kind = kind;
        this.version = version;
    }

    /**
     * The stream's version must be exactly {@code version}.
     *
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static ExpectedVersion exactly(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("expected version must be >= 0 (0 means no stream); got " + version);
        }
        return version == 0 ? NO_STREAM : new ExpectedVersion(Kind.EXACT, version);
    }

    /** True when a stream at {@code currentVersion} satisfies this expectation. */
    public boolean isSatisfiedBy(long currentVersion) {
        return switch (kind) {
            case ANY -> true;
            case EXACT -> currentVersion == version;
            case STREAM_EXISTS -> currentVersion >= 1;
        };
    }

    /** True for {@code exactly(n)} (including {@link #NO_STREAM}). */
    public boolean isExact() {
        return kind == Kind.EXACT;
    }

    /**
     * The expected version of an exact expectation.
     *
     * @throws IllegalStateException for {@link #ANY} and {@link #STREAM_EXISTS}
     */
    public long version() {
        if (kind != Kind.EXACT) {
            throw new IllegalStateException(this + " names no exact version");
        }
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpectedVersion other && other.kind == kind && other.version == version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, version);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ANY -> "ANY";
            case STREAM_EXISTS -> "STREAM_EXISTS";
            case EXACT -> version == 0 ? "NO_STREAM" : "exactly(" + version + ")";
        };
    }
}
