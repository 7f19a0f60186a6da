package dev.eventsource.aggregate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares, once, the aggregate type that names the streams of an {@link AggregateRoot} subclass:
 * <pre>{@code @AggregateType("Note")
 * final class NoteAggregate extends AggregateRoot<NoteState> { ... }
 *
 * var notes = new AggregateRepository<>(store, NoteAggregate.class, NoteAggregate::new);}</pre>
 *
 * <p>Read by {@link AggregateRepository#aggregateTypeOf(Class)}, and so by the repository
 * constructor and builders that take the aggregate class. It is not inherited: a subclass of an
 * annotated aggregate declares its own type. The value follows the rules of
 * {@link dev.eventsource.store.StreamId}; a blank or malformed value is refused when a repository
 * reads it. Renaming the value points the aggregate at other streams: events stored under the old
 * name stay there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AggregateType {

    /** The aggregate type, e.g. {@code "Note"}. */
    String value();
}
