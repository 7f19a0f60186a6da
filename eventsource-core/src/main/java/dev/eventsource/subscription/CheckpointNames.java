package dev.eventsource.subscription;

import dev.eventsource.tenant.TenantId;

import java.util.Objects;

/**
 * The name a subscription's checkpoint is kept under: its own name when it reads every tenant, its
 * name qualified by its tenant ({@code "billing#tenant=acme"}) when it reads one tenant, either by
 * {@link SubscriptionOptions.Builder#tenant} or because its manager was built on a
 * {@linkplain dev.eventsource.tenant.TenantScopedEventStore tenant-scoped view}. So a subscription
 * filtered to one tenant can never resume from a checkpoint saved by a subscription of the same
 * name filtered to another tenant or to none: they are different checkpoints (ADR 0005). Two
 * tenants' subscriptions may therefore share a name.
 *
 * <p>Subscription names may not contain {@link #TENANT_SEPARATOR}, so a qualified name cannot be
 * forged by naming an unfiltered subscription after it.
 */
public final class CheckpointNames {

    /** Between a subscription's name and its tenant in a qualified checkpoint name. */
    public static final String TENANT_SEPARATOR = "#tenant=";

    private CheckpointNames() {
    }

    /**
     * The checkpoint name of subscription {@code subscription} reading {@code tenant}'s events only,
     * or every tenant's when {@code tenant} is null. For moving a checkpoint saved before names were
     * qualified: {@code checkpoints.save(copy named CheckpointNames.of("billing/acme", acme))}.
     *
     * @throws IllegalArgumentException if {@code subscription} is blank or contains {@link #TENANT_SEPARATOR}
     */
    public static String of(String subscription, TenantId tenant) {
        requireSubscriptionName(subscription);
        return tenant == null ? subscription : subscription + TENANT_SEPARATOR + tenant.value();
    }

    /**
     * @throws IllegalArgumentException if {@code name} is null, blank or contains {@link #TENANT_SEPARATOR}
     */
    static String requireSubscriptionName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("subscription name must be non-blank; it keys the checkpoint");
        }
        if (name.contains(TENANT_SEPARATOR)) {
            throw new IllegalArgumentException("subscription name '" + name + "' contains '" + TENANT_SEPARATOR + "', which"
                    + " only checkpoint names of tenant-filtered subscriptions carry; name it without it and filter with"
                    + " SubscriptionOptions.Builder.tenant(...)");
        }
        return name;
    }

    /** {@code options}'s tenant, or else the manager's scope; refuses a filter on another tenant than the scope. */
    static TenantId tenantOf(String subscription, SubscriptionOptions options, TenantId scope) {
        Objects.requireNonNull(options, "options");
        TenantId filter = options.tenant().orElse(null);
        if (scope != null && filter != null && !filter.equals(scope)) {
            throw new dev.eventsource.tenant.CrossTenantAccessException(scope, filter.value(),
                    "subscribe '" + subscription + "' to the events of another tenant");
        }
        return filter != null ? filter : scope;
    }
}
