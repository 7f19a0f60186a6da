package dev.eventsource.subscription;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a subscription's {@link HealthStatus} turns {@link HealthStatus#DEGRADED} and
 * {@link HealthStatus#UNHEALTHY}; set on {@link SubscriptionManager.Builder#healthThresholds}.
 * Each value is a threshold that is reached at {@code >=}; {@link Long#MAX_VALUE} (or a duration
 * of {@link #NEVER}) turns a check off.
 *
 * @param degradedLagEvents    lag in events (log head minus position) from which it is degraded
 * @param unhealthyLagEvents   ... unhealthy
 * @param degradedLag          age of the oldest event not handled yet from which it is degraded
 * @param unhealthyLag         ... unhealthy
 * @param errorWindow          the sliding window of the error rate, at least one second (one-second buckets)
 * @param minAttempts          attempts (handled events plus failed attempts) the window must hold before
 *                             its error rate counts, so that one failure of one attempt is not "100 %"
 * @param degradedErrorRate    failed attempts / all attempts in the window from which it is degraded, 0..1
 * @param unhealthyErrorRate   ... unhealthy
 * @param degradedDeadLetters  unresolved dead letters from which it is degraded
 * @param unhealthyDeadLetters ... unhealthy
 * @param stuckAfter           a handler call or log read running this long makes the subscription
 *                             unhealthy and the manager's {@linkplain SubscriptionManager#liveness() liveness} down
 */
public record HealthThresholds(long degradedLagEvents, long unhealthyLagEvents, Duration degradedLag, Duration unhealthyLag,
                               Duration errorWindow, long minAttempts, double degradedErrorRate, double unhealthyErrorRate,
                               long degradedDeadLetters, long unhealthyDeadLetters, Duration stuckAfter) {

    /** A duration threshold that is never reached. */
    public static final Duration NEVER = Duration.ofSeconds(Long.MAX_VALUE);

    /**
     * Degraded from 1,000 events or 30 s behind, 5 % errors over 5 min (at least 20 attempts), or one
     * dead letter; unhealthy from 100,000 events or 5 min behind, 50 % errors, or 100 dead letters;
     * stuck after 5 min in one call.
     */
    public static final HealthThresholds DEFAULTS = new HealthThresholds(1_000, 100_000, Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofMinutes(5), 20, 0.05, 0.5, 1, 100, Duration.ofMinutes(5));

    public HealthThresholds {
        Objects.requireNonNull(degradedLag, "degradedLag");
        Objects.requireNonNull(unhealthyLag, "unhealthyLag");
        Objects.requireNonNull(errorWindow, "errorWindow");
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        pair("lag events", degradedLagEvents, unhealthyLagEvents);
        pair("dead letters", degradedDeadLetters, unhealthyDeadLetters);
        if (degradedLag.isNegative() || unhealthyLag.compareTo(degradedLag) < 0) {
            throw new IllegalArgumentException("need 0 <= degradedLag <= unhealthyLag; got " + degradedLag + " and "
                    + unhealthyLag + " (HealthThresholds.NEVER turns a check off)");
        }
        if (errorWindow.compareTo(Duration.ofSeconds(1)) < 0 || errorWindow.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("errorWindow must be between 1 s and 1 day; got " + errorWindow);
        }
        if (minAttempts < 1) {
            throw new IllegalArgumentException("minAttempts must be >= 1; got " + minAttempts);
        }
        if (!(degradedErrorRate >= 0 && degradedErrorRate <= unhealthyErrorRate && unhealthyErrorRate <= 1)) {
            throw new IllegalArgumentException("need 0 <= degradedErrorRate <= unhealthyErrorRate <= 1; got "
                    + degradedErrorRate + " and " + unhealthyErrorRate);
        }
        if (stuckAfter.isZero() || stuckAfter.isNegative()) {
            throw new IllegalArgumentException("stuckAfter must be positive; got " + stuckAfter);
        }
    }

    private static void pair(String what, long degraded, long unhealthy) {
        if (degraded < 1 || unhealthy < degraded) {
            throw new IllegalArgumentException("need 1 <= degraded <= unhealthy for " + what + "; got " + degraded
                    + " and " + unhealthy + " (Long.MAX_VALUE turns a check off)");
        }
    }

    /** These thresholds with other lag thresholds in events. */
    public HealthThresholds lagEvents(long degraded, long unhealthy) {
        return new HealthThresholds(degraded, unhealthy, degradedLag, unhealthyLag, errorWindow, minAttempts,
                degradedErrorRate, unhealthyErrorRate, degradedDeadLetters, unhealthyDeadLetters, stuckAfter);
    }

    /** These thresholds with other lag thresholds in time. */
    public HealthThresholds lag(Duration degraded, Duration unhealthy) {
        return new HealthThresholds(degradedLagEvents, unhealthyLagEvents, degraded, unhealthy, errorWindow, minAttempts,
                degradedErrorRate, unhealthyErrorRate, degradedDeadLetters, unhealthyDeadLetters, stuckAfter);
    }

    /** These thresholds with another error-rate window and rates. */
    public HealthThresholds errorRate(Duration window, long minAttempts, double degraded, double unhealthy) {
        return new HealthThresholds(degradedLagEvents, unhealthyLagEvents, degradedLag, unhealthyLag, window, minAttempts,
                degraded, unhealthy, degradedDeadLetters, unhealthyDeadLetters, stuckAfter);
    }

    /** These thresholds with other dead-letter thresholds. */
    public HealthThresholds deadLetters(long degraded, long unhealthy) {
        return new HealthThresholds(degradedLagEvents, unhealthyLagEvents, degradedLag, unhealthyLag, errorWindow,
                minAttempts, degradedErrorRate, unhealthyErrorRate, degraded, unhealthy, stuckAfter);
    }

    /** These thresholds with another stuck limit. */
    public HealthThresholds stuckAfter(Duration stuckAfter) {
        return new HealthThresholds(degradedLagEvents, unhealthyLagEvents, degradedLag, unhealthyLag, errorWindow,
                minAttempts, degradedErrorRate, unhealthyErrorRate, degradedDeadLetters, unhealthyDeadLetters, stuckAfter);
    }
}
