package dev.eventsource.store;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The owner-checked append role, for {@linkplain dev.eventsource.tenant.TenantScopedEventStore
 * tenant-scoped views}: an append that also refuses a stream belonging to another tenant, checked
 * by the store inside the append itself (its write transaction, statement or lock), so a scoped
 * append costs the round trips of an unscoped one and no writer can slip in between the check and
 * the write. Offered through {@link EventStore#tenantGuardedAppender()}; see ADR 0005.
 *
 * <p>A stream belongs to the tenant of its last event (its first event fixes it, and appends
 * through this role never change it). The append goes ahead when the stream does not exist or its
 * last event carries {@code tenantId}; otherwise nothing is written and {@code refusal} is thrown,
 * built from the stream's head as the store read it (its owner is {@link StreamHead#tenantId()},
 * {@code null} for an event stored without a tenant). The owner is checked before the expected
 * version and before the idempotent-retry rule, so another tenant's stream is refused whatever the
 * caller expected. Otherwise exactly {@link EventAppender#append(UUID, String, List, ExpectedVersion)}.
 */
@FunctionalInterface
public interface TenantGuardedAppender {

    /**
     * Appends {@code events} to {@code stream} if the stream does not exist or belongs to {@code tenantId}.
     *
     * @param tenantId the tenant the stream must belong to; every event must carry it as its
     *                 {@code EventMetadata.tenantId}
     * @param refusal  builds the exception to throw, nothing written, when the stream belongs to
     *                 another tenant or to none; it is given the stream's head
     * @throws IllegalArgumentException if {@code tenantId} or {@code refusal} is null, or an event
     *                                  carries no tenant or another one (stamp events first)
     * @throws OptimisticLockException  as {@link EventAppender#append(UUID, String, List, ExpectedVersion)},
     *                                  for a stream this tenant owns or that does not exist
     */
    AppendResult appendAsOwner(String tenantId, StreamId stream, List<NewEvent> events, ExpectedVersion expected,
                               Function<StreamHead, ? extends RuntimeException> refusal);
}
