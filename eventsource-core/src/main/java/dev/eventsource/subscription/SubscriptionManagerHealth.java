package dev.eventsource.subscription;

import java.util.List;

/**
 * The health of every subscription of a manager.
 *
 * @param subscriptions one entry per subscription, by name
 * @param healthy       true when every subscription is {@linkplain SubscriptionHealth#healthy() healthy}:
 *                      none {@link SubscriptionState#FAILED} or {@link SubscriptionState#STALLED}, none
 *                      with an unresolved dead letter
 * @param maxLagEvents  the largest {@link SubscriptionHealth#lagEvents()}
 */
public record SubscriptionManagerHealth(List<SubscriptionHealth> subscriptions, boolean healthy, long maxLagEvents) {

    static SubscriptionManagerHealth of(List<SubscriptionHealth> subscriptions) {
        return new SubscriptionManagerHealth(List.copyOf(subscriptions),
                subscriptions.stream().allMatch(SubscriptionHealth::healthy),
                subscriptions.stream().mapToLong(SubscriptionHealth::lagEvents).max().orElse(0));
    }
}
