package dev.eventsource.subscription;

import java.util.List;

/**
 * The health of every subscription of a manager.
 *
 * @param subscriptions one entry per subscription, by name
 * @param healthy       true when no subscription is {@link SubscriptionState#FAILED}
 * @param maxLagEvents  the largest {@link SubscriptionHealth#lagEvents()}
 */
public record SubscriptionManagerHealth(List<SubscriptionHealth> subscriptions, boolean healthy, long maxLagEvents) {

    static SubscriptionManagerHealth of(List<SubscriptionHealth> subscriptions) {
        return new SubscriptionManagerHealth(List.copyOf(subscriptions),
                subscriptions.stream().noneMatch(h -> h.state() == SubscriptionState.FAILED),
                subscriptions.stream().mapToLong(SubscriptionHealth::lagEvents).max().orElse(0));
    }
}
