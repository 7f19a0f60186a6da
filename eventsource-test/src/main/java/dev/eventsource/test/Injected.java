package dev.eventsource.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link EventStoreTest} class that is set before each test method: an
 * {@link dev.eventsource.store.EventStore} (or the backend's concrete store class) or an
 * {@link dev.eventsource.event.EventRegistry}. Repositories use {@link Aggregate} instead.
 *
 * <p>Static and final fields are refused: the value changes with every test method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Injected {
}
