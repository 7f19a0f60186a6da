package dev.eventsource.aggregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a state-transition method of an {@link AggregateRoot} that does not override
 * {@code apply}: the declarative style.
 *
 * <p>The method takes the current state and one event type and returns the next state:
 * <pre>{@code
 * @Handles NoteState on(NoteState s, NoteCreated e) { return new NoteState(aggregateId(), e.title(), e.content()); }
 * }</pre>
 * The handler whose event parameter is the closest supertype of the event's class is called.
 * An event without a handler leaves the state unchanged.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Handles {
}
