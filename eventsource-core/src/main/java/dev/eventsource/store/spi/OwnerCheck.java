package dev.eventsource.store.spi;

import dev.eventsource.store.StreamHead;
import dev.eventsource.store.TenantGuardedAppender;

import java.util.Objects;
import java.util.function.Function;

/**
 * The owner check a backend runs inside its append, for a {@link TenantGuardedAppender}: the
 * stream must not exist or its last event must carry {@link #tenantId()}. {@link #NONE} (an
 * unscoped append) allows every stream. A backend reads the stream's head (its version and the
 * tenant of its last event) where it reads the version anyway, calls {@link #require} before
 * {@link AppendRules#decide}, and lets the refusal propagate like an
 * {@link dev.eventsource.store.OptimisticLockException}: nothing of that append is written.
 *
 * @param tenantId the tenant the stream must belong to; {@code null} only for {@link #NONE}
 * @param refusal  builds the exception thrown for a stream of another tenant or of none
 */
public record OwnerCheck(String tenantId, Function<StreamHead, ? extends RuntimeException> refusal) {

    /** No check: an unscoped append. */
    public static final OwnerCheck NONE = new OwnerCheck(null, head -> {
        throw new IllegalStateException("OwnerCheck.NONE refuses nothing");
    });

    /**
     * @throws NullPointerException if {@code refusal} is null
     */
    public OwnerCheck {
        Objects.requireNonNull(refusal, "refusal");
    }

    /** Whether this is {@link #NONE}, so the backend need not read the stream's owner. */
    public boolean isNone() {
        return tenantId == null;
    }

    /** Whether an append to a stream with this head may go ahead. */
    public boolean allows(StreamHead head) {
        return tenantId == null || head.version() == 0 || tenantId.equals(head.tenantId());
    }

    /**
     * Returns the head's version if an append may go ahead.
     *
     * @throws RuntimeException the refusal built from {@code head}, if the stream belongs to another tenant or to none
     */
    public long require(StreamHead head) {
        if (!allows(head)) {
            RuntimeException refused = refusal.apply(head);
            throw refused != null ? refused : new IllegalStateException("the refusal of " + tenantId + " built no exception");
        }
        return head.version();
    }
}
