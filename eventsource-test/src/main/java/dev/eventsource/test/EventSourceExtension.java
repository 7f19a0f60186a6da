package dev.eventsource.test;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The JUnit 5 extension behind {@link EventStoreTest}: creates one store and one registry per
 * test method, lazily, hands them (and repositories on them) to parameters and fields, and
 * closes the store after the test, removing its files or schema if it had any.
 *
 * <p>Usually registered through {@code @EventStoreTest}; registered directly with
 * {@code @ExtendWith} it behaves as {@code @EventStoreTest} with its defaults. Misuse (a
 * repository without {@link Aggregate}, a store parameter whose class does not match the backend,
 * a backend whose module is missing, injection into a constructor or {@code @BeforeAll}) fails
 * the test with an {@link ExtensionConfigurationException} saying what to change.
 */
public final class EventSourceExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EventSourceExtension.class);

    /** Created by JUnit. */
    public EventSourceExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return parameterContext.isAnnotated(Aggregate.class) || type == AggregateRepository.class
                || type == EventRegistry.class || EventStore.class.isAssignableFrom(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        String where = "parameter '" + parameter.getName() + "' of " + parameter.getDeclaringExecutable().getName() + "()";
        return valueFor(parameter.getType(), parameter.getParameterizedType(),
                parameterContext.findAnnotation(Aggregate.class).orElse(null), where, extensionContext);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : ReflectionSupport.findFields(instance.getClass(),
                    f -> f.isAnnotationPresent(Injected.class) || f.isAnnotationPresent(Aggregate.class),
                    HierarchyTraversalMode.TOP_DOWN)) {
                String where = "field " + field.getDeclaringClass().getSimpleName() + "." + field.getName();
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                    throw new ExtensionConfigurationException(where + " must be neither static nor final: it gets a new value"
                            + " for every test method");
                }
                Object value = valueFor(field.getType(), field.getGenericType(), field.getAnnotation(Aggregate.class), where, context);
                field.setAccessible(true);
                field.set(instance, value);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestResources resources = context.getStore(NAMESPACE).remove(TestResources.class, TestResources.class);
        if (resources != null) {
            resources.release();
        }
    }

    private static Object valueFor(Class<?> type, Type genericType, Aggregate aggregate, String where, ExtensionContext context) {
        if (aggregate != null && type != AggregateRepository.class) {
            throw new ExtensionConfigurationException(where + " is annotated @Aggregate but is a " + type.getSimpleName()
                    + "; @Aggregate goes on an AggregateRepository<YourAggregate>");
        }
        if (type == AggregateRepository.class && aggregate == null) {
            throw new ExtensionConfigurationException(where + " needs @Aggregate(type = \"...\") naming the aggregate type"
                    + " of its streams, e.g. @Aggregate(type = \"Note\") (or @Aggregate alone, on a class annotated @AggregateType)");
        }
        TestResources resources = resources(context);
        if (type == EventRegistry.class) {
            return resources.registry;
        }
        if (type == AggregateRepository.class) {
            return repository(genericType, aggregate.type(), where, resources.store());
        }
        EventStore store = resources.store();
        if (!type.isInstance(store)) {
            throw new ExtensionConfigurationException(where + " is a " + type.getName() + " but Backend."
                    + resources.config.backend() + " provides a " + store.getClass().getName() + "; declare it as EventStore");
        }
        return store;
    }

    private static TestResources resources(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ExtensionConfigurationException("The event store lives for one test method: inject it into @Test,"
                    + " @BeforeEach or @AfterEach methods or @Injected fields, not into a constructor or @BeforeAll method");
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestResources.class, k -> new TestResources(config(context)),
                TestResources.class);
    }

    /** The nearest {@code @EventStoreTest}: on the method, then its class and the enclosing classes. */
    private static Config config(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<EventStoreTest> found = AnnotationSupport.findAnnotation(c.get().getElement(), EventStoreTest.class);
            if (found.isPresent()) {
                EventStoreTest a = found.get();
                return new Config(a.backend(), a.defaultRegistry(), a.events());
            }
        }
        return new Config(Backend.IN_MEMORY, false, new Class<?>[0]);
    }

    private static AggregateRepository<?> repository(Type declared, String aggregateType, String where, EventStore store) {
        if (!(declared instanceof ParameterizedType p) || !(p.getActualTypeArguments()[0] instanceof Class<?> aggregateClass)) {
            throw new ExtensionConfigurationException(where + " must name its aggregate class, e.g."
                    + " AggregateRepository<NoteAggregate>, so that its aggregates can be created");
        }
        if (Modifier.isAbstract(aggregateClass.getModifiers())) {
            throw new ExtensionConfigurationException(aggregateClass.getName() + " is abstract; " + where
                    + " must name a concrete aggregate class");
        }
        if (aggregateClass.isMemberClass() && !Modifier.isStatic(aggregateClass.getModifiers())) {
            throw new ExtensionConfigurationException(aggregateClass.getName() + " is an inner class; make it static so"
                    + " that it can be created from a UUID alone");
        }
        if (aggregateType.isEmpty()) {
            try {
                aggregateType = AggregateRepository.aggregateTypeOf(aggregateClass);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(where + " has @Aggregate without a type: " + e.getMessage()
                        + ", e.g. @Aggregate(type = \"" + aggregateClass.getSimpleName() + "\")", e);
            }
        }
        try {
            Constructor<?> constructor = aggregateClass.getDeclaredConstructor(UUID.class);
            constructor.setAccessible(true);
            return newRepository(store, constructor, aggregateType);
        } catch (NoSuchMethodException e) {
            throw new ExtensionConfigurationException(aggregateClass.getName() + " has no constructor taking a UUID, which "
                    + where + " needs to create it; add " + aggregateClass.getSimpleName() + "(UUID id) { super(id); }");
        }
    }

    @SuppressWarnings("unchecked")
    private static <A extends AggregateRoot<?>> AggregateRepository<A> newRepository(EventStore store, Constructor<?> constructor,
                                                                                    String aggregateType) {
        Function<UUID, A> factory = id -> {
            try {
                return (A) constructor.newInstance(id);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(constructor + " failed", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot call " + constructor, e);
            }
        };
        return new AggregateRepository<>(store, factory, aggregateType);
    }

    private record Config(Backend backend, boolean defaultRegistry, Class<?>[] events) {
    }

    /** What one test method uses; the store is opened on first use. */
    private static final class TestResources {

        final Config config;
        final EventRegistry registry;
        private Backend.OpenStore open;

        TestResources(Config config) {
            this.config = config;
            this.registry = config.defaultRegistry() ? EventRegistry.defaultRegistry() : new EventRegistry();
            for (Class<?> eventClass : config.events()) {
                registry.register(eventClass.asSubclass(DomainEvent.class));
            }
        }

        EventStore store() {
            if (open == null) {
                String missing = config.backend().missingModule(EventSourceExtension.class.getClassLoader());
                if (missing != null) {
                    throw new ExtensionConfigurationException(missing);
                }
                open = config.backend().open(registry);
            }
            return open.store();
        }

        void release() {
            if (open != null) {
                open.release();
            }
        }
    }
}
