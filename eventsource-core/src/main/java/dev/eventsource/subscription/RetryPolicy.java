package dev.eventsource.subscription;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * How often a subscription tries to handle an event, and how long it waits between attempts:
 * exponential backoff ({@code initialDelay * multiplier^(n-1)}, capped at {@code maxDelay}) with
 * random jitter of up to {@code jitter} of the delay either way, so that many failing
 * subscriptions do not retry in lockstep. After {@code maxAttempts} failed attempts the event is
 * dead-lettered; {@link Integer#MAX_VALUE} attempts means never ({@link #forever}).
 *
 * @param maxAttempts  attempts in all, including the first; {@code >= 1}
 * @param initialDelay the wait after the first failure; not negative
 * @param maxDelay     the longest wait; not below {@code initialDelay}
 * @param multiplier   growth per failure; {@code >= 1}
 * @param jitter       the random share of each delay, from 0 (none) to 1
 * @param permanent    which errors are permanent: dead-lettered at once, never retried
 *                     ({@link #permanentWhen}); none by default
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                          Predicate<Throwable> permanent) {

    /** Every error is worth retrying: the classifier of the policies made without {@link #permanentWhen}. */
    public static final Predicate<Throwable> NO_PERMANENT_ERRORS = new Predicate<>() {
        @Override
        public boolean test(Throwable error) {
            return false;
        }

        @Override
        public String toString() {
            return "none";
        }
    };

    /** Three attempts, 100 ms then 200 ms, 20 % jitter. */
    public static final RetryPolicy DEFAULT = exponential(3, Duration.ofMillis(100), Duration.ofSeconds(10));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1 (1 means no retry); got " + maxAttempts);
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay; got " + initialDelay + " and " + maxDelay);
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("multiplier must be >= 1; got " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1; got " + jitter);
        }
        Objects.requireNonNull(permanent, "permanent");
    }

    /** A policy that retries every error: {@code permanent} is {@link #NO_PERMANENT_ERRORS}. */
    public RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
        this(maxAttempts, initialDelay, maxDelay, multiplier, jitter, NO_PERMANENT_ERRORS);
    }

    /**
     * This policy, with errors that {@code classifier} calls permanent dead-lettered at the first
     * failure instead of retried (bad data, a validation error: retrying cannot help). Other errors
     * are retried as before. The classifier must be fast, thread-safe and not throw; one that throws
     * counts the error as not permanent.
     */
    public RetryPolicy permanentWhen(Predicate<Throwable> classifier) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, Objects.requireNonNull(classifier, "classifier"));
    }

    /**
     * {@link #permanentWhen} for errors that are instances of one of {@code types} (or have one as a
     * cause), e.g. {@code RetryPolicy.DEFAULT.permanentOn(IllegalArgumentException.class)}.
     */
    @SafeVarargs
    public final RetryPolicy permanentOn(Class<? extends Throwable>... types) {
        java.util.List<Class<? extends Throwable>> list = java.util.List.of(types);
        return permanentWhen(new Predicate<>() {
            @Override
            public boolean test(Throwable error) {
                for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
                    for (Class<? extends Throwable> type : list) {
                        if (type.isInstance(t)) {
                            return true;
                        }
                    }
                }
                return false;
            }

            @Override
            public String toString() {
                return "instances of " + list.stream().map(Class::getSimpleName).toList();
            }
        });
    }

    /** Whether {@code error} is permanent under this policy, so that it is not retried. */
    public boolean isPermanent(Throwable error) {
        try {
            return permanent.test(error);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code maxAttempts} attempts, doubling from {@code initialDelay} up to {@code maxDelay}, 20 % jitter. */
    public static RetryPolicy exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, 2.0, 0.2);
    }

    /**
     * Attempts without end (a failure is never dead-lettered), doubling from {@code initialDelay} up
     * to {@code maxDelay}, 20 % jitter: for a handler that must not skip an event, such as a relay
     * publishing to a broker that may be down for a while.
     */
    public static RetryPolicy forever(Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(Integer.MAX_VALUE, initialDelay, maxDelay, 2.0, 0.2);
    }

    /** Whether this policy never gives up ({@code maxAttempts == Integer.MAX_VALUE}). */
    public boolean isUnlimited() {
        return maxAttempts == Integer.MAX_VALUE;
    }

    /** One attempt: a failure is dead-lettered at once. */
    public static RetryPolicy noRetry() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1, 0);
    }

    /** This policy with another jitter share. */
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, permanent);
    }

    /** The wait after the {@code failedAttempts}-th failure ({@code >= 1}), jitter included. */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1; got " + failedAttempts);
        }
        double base = Math.min(initialDelay.toNanos() * Math.pow(multiplier, failedAttempts - 1.0), maxDelay.toNanos());
        double spread = base * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofNanos((long) Math.max(0, Math.min(base + spread, maxDelay.toNanos())));
    }
}
