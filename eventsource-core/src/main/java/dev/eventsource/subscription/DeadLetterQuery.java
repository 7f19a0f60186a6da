package dev.eventsource.subscription;

import dev.eventsource.store.EventLimits;

/**
 * Which dead letters to list, a page at a time: {@link DeadLetterStore#query} returns entries in
 * id order (the order they were first queued) after {@link #afterId()}, at most {@link #limit()}
 * of them; pass the last id returned as {@code after} to get the next page.
 *
 * <pre>{@code
 * DeadLetterQuery.all().subscription("billing").errorContaining("Timeout").limit(50)
 * }</pre>
 *
 * <p>Defaults: every subscription and event type, unresolved entries only, from the first id,
 * 100 entries. Refused ({@code IllegalArgumentException} naming the value): a blank name, a
 * negative {@code after}, a limit outside 1 to {@value #MAX_LIMIT}.
 */
public final class DeadLetterQuery {

    /** The largest page. */
    public static final int MAX_LIMIT = 10_000;

    private final String subscription;
    private final String eventType;
    private final String errorContains;
    private final boolean includeResolved;
    private final long afterId;
    private final int limit;

    private DeadLetterQuery(String subscription, String eventType, String errorContains, boolean includeResolved,
                            long afterId, int limit) {
        this.subscription = subscription;
        this.eventType = eventType;
        this.errorContains = errorContains;
        this.includeResolved = includeResolved;
        this.afterId = afterId;
        this.limit = limit;
    }

    /** Every unresolved entry, first page of 100. */
    public static DeadLetterQuery all() {
        return new DeadLetterQuery(null, null, null, false, 0, 100);
    }

    /** Only entries of this subscription. */
    public DeadLetterQuery subscription(String name) {
        return new DeadLetterQuery(EventLimits.requireName("subscription", name), eventType, errorContains, includeResolved,
                afterId, limit);
    }

    /** Only entries of events of this stored type name. */
    public DeadLetterQuery eventType(String type) {
        return new DeadLetterQuery(subscription, EventLimits.requireName("eventType", type), errorContains, includeResolved,
                afterId, limit);
    }

    /** Only entries whose error (class and message) contains {@code text}, case-sensitively. */
    public DeadLetterQuery errorContaining(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("errorContaining needs some text, e.g. \"TimeoutException\"");
        }
        return new DeadLetterQuery(subscription, eventType, EventLimits.requireWellFormed("errorContaining", text),
                includeResolved, afterId, limit);
    }

    /** Resolved entries too (they stay until {@link DeadLetterStore#purgeResolved} removes them). */
    public DeadLetterQuery includeResolved() {
        return new DeadLetterQuery(subscription, eventType, errorContains, true, afterId, limit);
    }

    /** Only entries with an id above {@code id}: the next page after an entry. */
    public DeadLetterQuery after(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("after must be >= 0 (an entry id); got " + id);
        }
        return new DeadLetterQuery(subscription, eventType, errorContains, includeResolved, id, limit);
    }

    /** At most {@code n} entries, 1 to {@value #MAX_LIMIT}. */
    public DeadLetterQuery limit(int n) {
        if (n < 1 || n > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + "; got " + n);
        }
        return new DeadLetterQuery(subscription, eventType, errorContains, includeResolved, afterId, n);
    }

    /** The subscription to keep, or {@code null} for all. */
    public String subscription() {
        return subscription;
    }

    /** The event type to keep, or {@code null} for all. */
    public String eventType() {
        return eventType;
    }

    /** Text the error must contain, or {@code null}. */
    public String errorContains() {
        return errorContains;
    }

    public boolean isIncludeResolved() {
        return includeResolved;
    }

    public long afterId() {
        return afterId;
    }

    public int limit() {
        return limit;
    }

    /** Whether {@code letter} is selected, page bounds aside; what every store's query must agree with. */
    public boolean matches(DeadLetter letter) {
        return (subscription == null || subscription.equals(letter.subscription()))
                && (eventType == null || eventType.equals(letter.eventType()))
                && (errorContains == null || letter.error().contains(errorContains))
                && (includeResolved || letter.resolvedAt() == null)
                && letter.id() > afterId;
    }

    @Override
    public String toString() {
        return "DeadLetterQuery[subscription=" + subscription + ", eventType=" + eventType + ", errorContains=" + errorContains
                + ", includeResolved=" + includeResolved + ", after=" + afterId + ", limit=" + limit + "]";
    }
}
