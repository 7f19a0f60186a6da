package dev.eventsource.subscription;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@link SubscriptionManager#liveness()} or {@link SubscriptionManager#readiness()},
 * shaped for a Kubernetes probe: serve {@link #httpStatus()} with the reasons as the body.
 *
 * @param up      whether the probe passes
 * @param status  the worst subscription status seen (for liveness: {@link HealthStatus#UNHEALTHY} when down,
 *                else {@link HealthStatus#HEALTHY})
 * @param reasons why it is down or degraded, one line per subscription and cause, each starting with the
 *                subscription's name; empty when everything is healthy
 */
public record ProbeResult(boolean up, HealthStatus status, List<String> reasons) {

    public ProbeResult {
        Objects.requireNonNull(status, "status");
        reasons = List.copyOf(reasons);
    }

    /** 200 when up, 503 when down. */
    public int httpStatus() {
        return up ? 200 : 503;
    }

    @Override
    public String toString() {
        return (up ? "UP " : "DOWN ") + status + (reasons.isEmpty() ? "" : " " + reasons);
    }
}
