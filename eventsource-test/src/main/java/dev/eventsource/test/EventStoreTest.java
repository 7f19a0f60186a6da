package dev.eventsource.test;

import dev.eventsource.event.DomainEvent;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives every test method a fresh, initialized event store, closed after the test.
 *
 * <pre>{@code
 * @EventStoreTest(backend = Backend.SQLITE_MEMORY)
 * class NoteTest {
 *     @Test
 *     void saves_a_note(@Aggregate(type = "Note") AggregateRepository<NoteAggregate> notes, EventStore store) { ... }
 * }
 * }</pre>
 *
 * <p>Test and lifecycle methods ({@code @BeforeEach}, {@code @AfterEach}) may declare parameters
 * of type {@link dev.eventsource.store.EventStore} (or the backend's concrete store class),
 * {@link dev.eventsource.event.EventRegistry}, and
 * {@link dev.eventsource.aggregate.AggregateRepository AggregateRepository&lt;A&gt;} annotated
 * with {@link Aggregate}; fields annotated with {@link Injected} or {@link Aggregate} are set
 * before each test. Within one test method they all share one store and one registry.
 * Constructors and {@code @BeforeAll} methods are refused: the store lives for one test method.
 *
 * <p>On a class it applies to every test method, including those of {@code @Nested} classes and
 * subclasses; on a method it overrides the class's choice for that method.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(EventSourceExtension.class)
public @interface EventStoreTest {

    /** The store to run against; {@link Backend#IN_MEMORY} unless told otherwise. */
    Backend backend() default Backend.IN_MEMORY;

    /**
     * When true the store uses {@link dev.eventsource.event.EventRegistry#defaultRegistry()}, the
     * one an application's stores use when given none. By default every test gets a new,
     * empty registry, so tests cannot depend on each other's registrations.
     */
    boolean defaultRegistry() default false;

    /**
     * Event classes (or sealed interfaces) registered before the test, for tests that read
     * events they did not write. Writing registers an event's class by itself.
     */
    Class<? extends DomainEvent>[] events() default {};
}
