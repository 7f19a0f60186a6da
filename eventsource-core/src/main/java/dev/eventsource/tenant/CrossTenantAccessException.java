package dev.eventsource.tenant;

import dev.eventsource.EventSourceException;

/**
 * A tenant-scoped view refused to read or write data of another tenant, or data without a tenant.
 * Nothing was written and nothing of the other tenant was returned. Not transient: retrying the
 * same call fails the same way.
 */
public final class CrossTenantAccessException extends EventSourceException {

    private final TenantId scope;
    private final String owner;

    /**
     * @param scope  the tenant of the view that refused
     * @param owner  the tenant the data belongs to, or {@code null} for data stored without a tenant
     * @param what   what was refused, e.g. {@code "append to stream Note/…"}
     */
    public CrossTenantAccessException(TenantId scope, String owner, String what) {
        super(message(scope, owner, what));
        this.scope = scope;
        this.owner = owner;
    }

    private static String message(TenantId scope, String owner, String what) {
        return owner == null
                ? "Tenant '" + scope + "' may not " + what + ": it was stored without a tenant, and a tenant-scoped view"
                        + " only touches its own tenant's data. Read it through an unscoped store, or migrate it to a tenant"
                        + " (docs/tenancy.md)."
                : "Tenant '" + scope + "' may not " + what + ": it belongs to tenant '" + owner + "'. Nothing was"
                        + " written or returned; use a view scoped to '" + owner + "' if this access is intended.";
    }

    /** The tenant of the view that refused. */
    public TenantId scope() {
        return scope;
    }

    /** The tenant the data belongs to, or {@code null} when it was stored without one. */
    public String owner() {
        return owner;
    }
}
