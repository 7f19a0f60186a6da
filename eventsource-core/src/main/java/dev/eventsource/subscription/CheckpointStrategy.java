package dev.eventsource.subscription;

import java.time.Duration;

/**
 * When a subscription saves its checkpoint: after every event, after every batch, or at most once
 * per period (and always when it catches up, pauses or stops). The less often, the cheaper, and
 * the more events are delivered again after a crash: plain subscribers are at-least-once.
 *
 * @param kind   which of the above
 * @param period the period for {@link Kind#PERIODIC}, else {@link Duration#ZERO}
 */
public record CheckpointStrategy(Kind kind, Duration period) {

    public static final CheckpointStrategy EVERY_EVENT = new CheckpointStrategy(Kind.EVERY_EVENT, Duration.ZERO);
    public static final CheckpointStrategy EVERY_BATCH = new CheckpointStrategy(Kind.EVERY_BATCH, Duration.ZERO);

    /** The kinds of strategy. */
    public enum Kind { EVERY_EVENT, EVERY_BATCH, PERIODIC }

    public CheckpointStrategy {
        if (kind == null || period == null) {
            throw new IllegalArgumentException("kind and period must not be null");
        }
        if (kind == Kind.PERIODIC ? period.isZero() || period.isNegative() : !period.isZero()) {
            throw new IllegalArgumentException("a period, positive, is set for PERIODIC only; got " + period + " for " + kind);
        }
    }

    /** Save at most once per {@code period}, and whenever the subscription catches up, pauses or stops. */
    public static CheckpointStrategy periodic(Duration period) {
        return new CheckpointStrategy(Kind.PERIODIC, period);
    }
}
