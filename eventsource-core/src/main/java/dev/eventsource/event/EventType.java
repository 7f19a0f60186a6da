package dev.eventsource.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names an event type and its schema version as they are written to the store.
 *
 * <p>Optional: without it the type name is the class's simple name and the version is 1. Put it
 * on an event the moment its class might be renamed or moved, because the stored name is what
 * old events are read back by. Bump {@link #version()} when the JSON shape changes, and register
 * an {@link Upcaster} from the previous version with {@link EventRegistry#registerUpcaster}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The stored type name; blank means the class's simple name. */
    String value() default "";

    /** The schema version of the JSON written for this class, counting from 1. */
    int version() default 1;
}
