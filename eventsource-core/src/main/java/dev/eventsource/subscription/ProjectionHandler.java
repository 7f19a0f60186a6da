package dev.eventsource.subscription;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event handler method of a {@link HandlerProjection}.
 *
 * <p>The method is an instance method returning {@code void} that takes the event record, or the
 * event record and its {@link dev.eventsource.store.StoredEvent} envelope:
 * <pre>{@code
 * @ProjectionHandler void on(NoteCreated e) { ... }
 * @ProjectionHandler void on(NoteRenamed e, StoredEvent stored) { ... }
 * }</pre>
 * The parameter must be a concrete event class (not an interface or abstract class): its stored
 * type name, {@link dev.eventsource.event.EventRegistry#typeName(Class)}, is what the projection
 * reads from the store. Any other signature is refused when the projection is constructed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProjectionHandler {
}
