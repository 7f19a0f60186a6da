package dev.eventsource.tenant;

import dev.eventsource.store.EventLimits;

import java.util.Objects;

/**
 * The identity of one tenant (one customer of a multi-tenant application), as stored in each
 * event's {@code tenantId}.
 *
 * <p>Refused: a blank value, one with leading or trailing blanks (two spellings of one tenant
 * would be two tenants), one longer than {@link EventLimits#MAX_NAME_LENGTH}, and one with a NUL
 * or an unpaired surrogate ({@code IllegalArgumentException} naming the rule); a null one
 * ({@code NullPointerException}).
 */
public record TenantId(String value) {

    public TenantId {
        Objects.requireNonNull(value, "value");
        EventLimits.requireName("tenantId", value);
        if (!value.strip().equals(value)) {
            throw new IllegalArgumentException("tenantId '" + value + "' has leading or trailing blanks; strip it, so that"
                    + " one tenant has one spelling");
        }
    }

    /** {@code new TenantId(value)}. */
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
