package dev.eventsource.store;

/**
 * A stream's current version and the tenant of its last event, read together: the owner a
 * {@linkplain TenantGuardedAppender owner-checked append} checks inside the append (and hands to
 * its refusal), and what a {@linkplain dev.eventsource.tenant.TenantScopedEventStore tenant-scoped
 * view} reads before it appends to a store without that role; one query where the store offers one.
 *
 * @param version  the stream's version; 0 when it does not exist
 * @param tenantId the {@link StoredEvent#tenantId()} of the event at {@code version}; {@code null}
 *                 when that event carries no tenant, or when the stream does not exist
 */
public record StreamHead(long version, String tenantId) {

    /** The head of a stream that does not exist. */
    public static final StreamHead NONE = new StreamHead(0, null);

    /**
     * @throws IllegalArgumentException if {@code version} is negative, or 0 with a tenant
     */
    public StreamHead {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0; got " + version);
        }
        if (version == 0 && tenantId != null) {
            throw new IllegalArgumentException("a stream at version 0 has no event, so no tenant; got tenant '" + tenantId + "'");
        }
    }
}
