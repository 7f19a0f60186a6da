package dev.eventsource.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link EventStoreTest} for an {@link dev.eventsource.aggregate.AggregateRepository} on the
 * test's store, as a parameter or a field:
 * <pre>{@code @Aggregate(type = "Note") AggregateRepository<NoteAggregate> notes}</pre>
 * or, for an aggregate class annotated {@code @AggregateType("Note")}:
 * <pre>{@code @Aggregate AggregateRepository<NoteAggregate> notes}</pre>
 *
 * <p>The aggregate class is read from the declared type argument, and the repository creates
 * aggregates through its constructor taking a {@link java.util.UUID} (any visibility). Refused,
 * with a message saying what to change: a raw or wildcard {@code AggregateRepository}, an
 * abstract aggregate class, a non-static inner class, a class without a {@code (UUID)}
 * constructor, and this annotation on anything but an {@code AggregateRepository}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Aggregate {

    /**
     * The aggregate type that names its streams, e.g. {@code "Note"}. Left out, it is the one the
     * aggregate class declares with {@link dev.eventsource.aggregate.AggregateType}; a class that
     * declares none is then refused, naming the annotation.
     */
    String type() default "";
}
