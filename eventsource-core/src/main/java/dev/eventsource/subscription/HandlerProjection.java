package dev.eventsource.subscription;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.StoredEvent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Projection} written as one {@link ProjectionHandler} method per event class, the
 * declarative alternative to implementing {@link #handle(StoredEvent)} and
 * {@link #eventTypes()} by hand:
 * <pre>{@code
 * final class TitlesProjection extends HandlerProjection {
 *     final Map<UUID, String> titles = new ConcurrentHashMap<>();
 *     @ProjectionHandler void on(NoteCreated e, StoredEvent stored) { titles.put(stored.aggregateId(), e.title()); }
 *     @ProjectionHandler void on(NoteDeleted e, StoredEvent stored) { titles.remove(stored.aggregateId()); }
 *     @Override public void reset() { titles.clear(); }
 * }
 * }</pre>
 *
 * <p>The handled event types are derived from the handler parameters with
 * {@link EventRegistry#typeName(Class)}, so the subscription's store query reads only those
 * types: an event without a handler is never loaded. Each event is dispatched to the handler of
 * its exact class. Handler methods of superclasses count; a subclass method for the same event
 * class replaces the inherited one.
 *
 * <p>Refused with an {@link IllegalStateException} at construction, naming the method and the
 * fix: a handler that is static, does not return {@code void}, or whose parameters are not
 * {@code (SomeEvent)} or {@code (SomeEvent, StoredEvent)} with {@code SomeEvent} a concrete
 * {@link DomainEvent} class; two handlers in one class for the same type name; a projection with
 * no handler at all. A handler's exception is rethrown as is, so retries and dead-lettering
 * work as for any {@link Subscriber}.
 */
public abstract class HandlerProjection implements Projection {

    private static final ClassValue<Map<Class<?>, Method>> HANDLERS = new ClassValue<>() {
        @Override
        protected Map<Class<?>, Method> computeValue(Class<?> type) {
            return findHandlers(type);
        }
    };

    private final Map<Class<?>, Method> handlers;
    private final Set<String> eventTypes;

    protected HandlerProjection() {
        handlers = HANDLERS.get(getClass());
        Set<String> names = new HashSet<>();
        handlers.keySet().forEach(c -> names.add(EventRegistry.typeName(c)));
        eventTypes = Set.copyOf(names);
    }

    /** The type names of the handler parameters' classes; the store query filters on them. */
    @Override
    public final Set<String> eventTypes() {
        return eventTypes;
    }

    /** Calls the handler for the event's class. */
    @Override
    public final void handle(StoredEvent event) throws Exception {
        Method handler = handlers.get(event.event().getClass());
        if (handler == null) {
            throw new IllegalStateException(getClass().getName() + " received " + event.eventType() + " as "
                    + event.event().getClass().getName() + ", which none of its @ProjectionHandler methods takes;"
                    + " the event registry maps that type name to another class than the handler's parameter");
        }
        try {
            if (handler.getParameterCount() == 1) {
                handler.invoke(this, event.event());
            } else {
                handler.invoke(this, event.event(), event);
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static Map<Class<?>, Method> findHandlers(Class<?> type) {
        Map<Class<?>, Method> handlers = new HashMap<>();
        Map<String, Method> byName = new HashMap<>();
        for (Class<?> c = type; c != null && c != HandlerProjection.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isBridge() || !m.isAnnotationPresent(ProjectionHandler.class)) {
                    continue;
                }
                Class<?> eventClass = checkSignature(m);
                Method previous = handlers.get(eventClass);
                if (previous != null) {
                    if (previous.getDeclaringClass() == c) {
                        throw new IllegalStateException("two @ProjectionHandler methods for " + eventClass.getName()
                                + " in " + c.getName() + ": " + previous + " and " + m + "; keep one");
                    }
                    continue;   // overridden by a subclass, which was scanned first
                }
                Method sameName = byName.get(EventRegistry.typeName(eventClass));
                if (sameName != null) {
                    throw new IllegalStateException("@ProjectionHandler methods " + sameName + " and " + m
                            + " take different classes with the same event type name '" + EventRegistry.typeName(eventClass)
                            + "'; a stored type name maps to one class");
                }
                m.setAccessible(true);
                handlers.put(eventClass, m);
                byName.put(EventRegistry.typeName(eventClass), m);
            }
        }
        if (handlers.isEmpty()) {
            throw new IllegalStateException(type.getName() + " extends HandlerProjection but has no @ProjectionHandler"
                    + " method; add one per event class it handles, e.g. @ProjectionHandler void on(SomeEvent e)");
        }
        return Map.copyOf(handlers);
    }

    private static Class<?> checkSignature(Method m) {
        Class<?>[] params = m.getParameterTypes();
        boolean shape = (params.length == 1 || (params.length == 2 && params[1] == StoredEvent.class))
                && DomainEvent.class.isAssignableFrom(params[0]);
        if (!shape || Modifier.isStatic(m.getModifiers()) || m.getReturnType() != void.class) {
            throw new IllegalStateException("@ProjectionHandler method " + m + " must be a void instance method taking"
                    + " (SomeEvent e) or (SomeEvent e, StoredEvent stored), SomeEvent a DomainEvent class");
        }
        if (params[0].isInterface() || Modifier.isAbstract(params[0].getModifiers())) {
            throw new IllegalStateException("@ProjectionHandler method " + m + " takes " + params[0].getName()
                    + ", which is not a concrete event class: the store filters on the stored type name of a concrete"
                    + " class; write one handler per event record");
        }
        return params[0];
    }
}
