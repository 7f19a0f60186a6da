package dev.eventsource.subscription;

/**
 * The tier of a subscription's health, worst last; see {@link HealthThresholds} for what puts a
 * subscription in each.
 */
public enum HealthStatus {
    /** Running, caught up within the thresholds, errors and dead letters below them. */
    HEALTHY,
    /** Working but worth a look: lag, error rate or dead letters past the degraded thresholds, paused, or a handler abandoned. */
    DEGRADED,
    /** Not doing its job: failed, stalled, stopped, stuck, or past an unhealthy threshold; not ready. */
    UNHEALTHY;

    /** The worse of the two. */
    HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
