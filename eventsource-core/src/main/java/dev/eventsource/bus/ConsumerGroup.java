package dev.eventsource.bus;

import dev.eventsource.subscription.RetryPolicy;

import java.util.Objects;
import java.util.UUID;

/**
 * A named consumer of the bus: the unit that receives each published event once.
 *
 * <p>Every event a group's {@link #selector()} matches is delivered to the group once, to one of
 * its members: two subscriptions in one group share the work (competing consumers), two groups
 * each receive every event (fan-out). A bus keeps the events of one aggregate with one member
 * while the membership is stable, so their order holds. A handler that throws is retried per
 * {@link #retryPolicy()}; after its last attempt the event goes to the group's dead letters.
 *
 * <p>Every member of a group subscribes with an equal {@code ConsumerGroup}: a bus refuses a
 * member whose selector or retry policy differs from the group's. A broker adapter maps the name
 * to its own notion (a Kafka consumer group, a RabbitMQ queue, a Redis Streams group).
 *
 * @param name        non-blank, without leading or trailing blanks
 * @param selector    the events the group receives
 * @param retryPolicy attempts and backoff before an event is dead-lettered
 */
public record ConsumerGroup(String name, EventSelector selector, RetryPolicy retryPolicy) {

    /** What {@link #anonymous(EventSelector)} names start with. */
    public static final String ANONYMOUS_PREFIX = "anonymous-";

    public ConsumerGroup {
        if (name == null || name.isBlank() || !name.equals(name.strip())) {
            throw new IllegalArgumentException("a consumer group needs a non-blank name without surrounding blanks,"
                    + " e.g. ConsumerGroup.named(\"billing\"); got " + (name == null ? "null" : "'" + name + "'"));
        }
        Objects.requireNonNull(selector, "selector must not be null; use EventSelector.all() for every event");
        Objects.requireNonNull(retryPolicy, "retryPolicy must not be null; use RetryPolicy.noRetry() for none");
    }

    /** A group named {@code name} that receives every event, with {@link RetryPolicy#DEFAULT}. */
    public static ConsumerGroup named(String name) {
        return new ConsumerGroup(name, EventSelector.all(), RetryPolicy.DEFAULT);
    }

    /**
     * A group of its own for one subscription, named {@code anonymous-} plus a random UUID, with
     * {@link RetryPolicy#DEFAULT}: what the bus's {@code subscribe(Class, ...)} conveniences use.
     */
    public static ConsumerGroup anonymous(EventSelector selector) {
        return new ConsumerGroup(ANONYMOUS_PREFIX + UUID.randomUUID(), selector, RetryPolicy.DEFAULT);
    }

    /** This group receiving what {@code selector} selects. */
    public ConsumerGroup selecting(EventSelector selector) {
        return new ConsumerGroup(name, selector, retryPolicy);
    }

    /** This group with another retry policy. */
    public ConsumerGroup retrying(RetryPolicy retryPolicy) {
        return new ConsumerGroup(name, selector, retryPolicy);
    }
}
