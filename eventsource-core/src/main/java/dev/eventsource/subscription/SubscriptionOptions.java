package dev.eventsource.subscription;

import dev.eventsource.store.ReadOptions;
import dev.eventsource.tenant.TenantId;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How one subscription reads and handles the log. Defaults: start from the
 * {@linkplain StartFrom#CHECKPOINT checkpoint}, batches of 100, checkpoint after every batch,
 * {@link RetryPolicy#DEFAULT}, continue after a dead letter, all event and aggregate types.
 *
 * <p>Type filters go into the store's query ({@code ReadOptions}), so unrelated events are never
 * loaded. A {@link Projection} declares its types itself; giving types here as well is refused, so
 * that there is one place that says what a projection reads.
 */
public final class SubscriptionOptions {

    /** The defaults. */
    public static final SubscriptionOptions DEFAULTS = builder().build();

    private final StartFrom startFrom;
    private final int batchSize;
    private final CheckpointStrategy checkpointStrategy;
    private final RetryPolicy retryPolicy;
    private final AfterDeadLetter afterDeadLetter;
    private final Set<String> eventTypes;
    private final Set<String> aggregateTypes;
    private final TenantId tenant;
    private final Duration handlerTimeout;
    private final HandlerFailureListener onError;

    private SubscriptionOptions(Builder b) {
        this.startFrom = b.startFrom;
        this.batchSize = b.batchSize;
        this.checkpointStrategy = b.checkpointStrategy;
        this.retryPolicy = b.retryPolicy;
        this.afterDeadLetter = b.afterDeadLetter;
        this.eventTypes = Set.copyOf(b.eventTypes);
        this.aggregateTypes = Set.copyOf(b.aggregateTypes);
        this.tenant = b.tenant;
        this.handlerTimeout = b.handlerTimeout;
        this.onError = b.onError;
    }

    public static Builder builder() {
        return new Builder();
    }

    public StartFrom startFrom() {
        return startFrom;
    }

    public int batchSize() {
        return batchSize;
    }

    public CheckpointStrategy checkpointStrategy() {
        return checkpointStrategy;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public AfterDeadLetter afterDeadLetter() {
        return afterDeadLetter;
    }

    /** Event type names to read; empty for all. */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    /** Aggregate types to read; empty for all. */
    public Set<String> aggregateTypes() {
        return aggregateTypes;
    }

    /** The one tenant whose events the subscription reads, if it is limited to one. */
    public Optional<TenantId> tenant() {
        return Optional.ofNullable(tenant);
    }

    /**
     * How long one handler call may run before it is interrupted and counted as a failed attempt
     * ({@link HandlerTimeoutException}); empty (the default) for no limit, the handler then runs on
     * the subscription's own thread.
     */
    public Optional<Duration> handlerTimeout() {
        return Optional.ofNullable(handlerTimeout);
    }

    /** Told about each failed delivery attempt; {@link HandlerFailureListener#NONE} by default. */
    public HandlerFailureListener onError() {
        return onError;
    }

    /** Builds {@link SubscriptionOptions}; every setter validates its argument at once. */
    public static final class Builder {
        private StartFrom startFrom = StartFrom.CHECKPOINT;
        private int batchSize = 100;
        private CheckpointStrategy checkpointStrategy = CheckpointStrategy.EVERY_BATCH;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private AfterDeadLetter afterDeadLetter = AfterDeadLetter.CONTINUE;
        private final Set<String> eventTypes = new LinkedHashSet<>();
        private final Set<String> aggregateTypes = new LinkedHashSet<>();
        private TenantId tenant;
        private Duration handlerTimeout;
        private HandlerFailureListener onError = HandlerFailureListener.NONE;

        private Builder() {
        }

        /**
         * Limits each handler call (one event, one batch, or one transactional batch) to
         * {@code timeout}. The handler then runs on a worker thread of the manager's thread factory;
         * past the timeout it is interrupted, and if it ignores the interrupt for a further 200 ms
         * its thread is abandoned (counted in {@link SubscriptionHealth#abandonedHandlers()}) and
         * the next call gets a new one. The overrun counts as a failed attempt with a
         * {@link HandlerTimeoutException}, retried per the {@link RetryPolicy} and dead-lettered
         * after the budget, so a hung handler never stalls the subscription. An abandoned
         * transactional handler may still commit later: give such handlers interruptible calls or
         * JDBC query timeouts. Refused: zero or negative, or more than a day.
         */
        public Builder handlerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("handlerTimeout must be positive and at most a day; got " + timeout);
            }
            this.handlerTimeout = timeout;
            return this;
        }

        /**
         * Calls {@code listener} after each failed delivery attempt with the event, the attempt, the
         * error and the decision taken (retry, split a batch, dead-letter). Replaces an earlier one.
         */
        public Builder onError(HandlerFailureListener listener) {
            this.onError = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Read only {@code tenant}'s events (the store's tenant filter, so other tenants' events are
         * never loaded). Its checkpoint is kept under its name qualified by the tenant
         * ({@link CheckpointNames}), so subscriptions of one name for different tenants, or for all
         * of them, never share a checkpoint. A manager built on a {@code TenantScopedEventStore}
         * reads that tenant only anyway, qualifies the same way, and refuses a filter on another tenant.
         */
        public Builder tenant(TenantId tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        public Builder startFrom(StartFrom startFrom) {
            this.startFrom = Objects.requireNonNull(startFrom, "startFrom");
            return this;
        }

        /** Events read and handled per batch, 1 to 10000. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000; got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder checkpointStrategy(CheckpointStrategy checkpointStrategy) {
            this.checkpointStrategy = Objects.requireNonNull(checkpointStrategy, "checkpointStrategy");
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        public Builder afterDeadLetter(AfterDeadLetter afterDeadLetter) {
            this.afterDeadLetter = Objects.requireNonNull(afterDeadLetter, "afterDeadLetter");
            return this;
        }

        /** Read only these event types (any of them). */
        public Builder eventTypes(String... eventTypes) {
            // ReadOptions owns the rule for filter names; these end up in its query.
            ReadOptions.builder().eventTypes(eventTypes);
            this.eventTypes.addAll(Arrays.asList(eventTypes));
            return this;
        }

        /** Read only events of these aggregate types (any of them). */
        public Builder aggregateTypes(String... aggregateTypes) {
            ReadOptions.builder().aggregateTypes(aggregateTypes);
            this.aggregateTypes.addAll(Arrays.asList(aggregateTypes));
            return this;
        }

        public SubscriptionOptions build() {
            return new SubscriptionOptions(this);
        }
    }
}
