package dev.eventsource.aggregate;

import dev.eventsource.event.DomainEvent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A consistency boundary whose state is rebuilt from its events.
 *
 * <p>The state {@code S} is an immutable value; {@link #apply(Object, DomainEvent)} is a pure
 * transition from one state and one event to the next. Command methods validate, then call
 * {@link #applyEvent(DomainEvent)}, which applies the event and queues it for the next
 * {@code AggregateRepository.save}. Replay on load calls the same {@code apply}, so state after a
 * command and state after a reload are the same by construction.
 *
 * <p>Two styles: override {@code apply}, or leave it and annotate transition methods with
 * {@link Handles}. An aggregate that does neither is refused the first time an event is applied.
 *
 * <p>An instance is a unit of work for one thread; it is not thread-safe. Repositories are.
 *
 * @param <S> the state type
 */
public abstract class AggregateRoot<S> {

    private static final ClassValue<Map<Class<?>, Method>> HANDLERS = new ClassValue<>() {
        @Override
        protected Map<Class<?>, Method> computeValue(Class<?> type) {
            return findHandlers(type);
        }
    };

    private final UUID aggregateId;
    private final List<DomainEvent> uncommitted = new ArrayList<>();
    private long version;
    private S state;
    private boolean stateInitialized;

    protected AggregateRoot(UUID aggregateId) {
        this.aggregateId = Objects.requireNonNull(aggregateId, "aggregateId");
    }

    /** The state before any event. Called once, lazily, so subclass fields are set by then. */
    protected abstract S initialState();

    /**
     * The state after {@code event}. The default dispatches to the {@link Handles} method for the
     * event's class and leaves the state unchanged for events without one.
     */
    protected S apply(S state, DomainEvent event) {
        Map<Class<?>, Method> handlers = HANDLERS.get(getClass());
        if (handlers.isEmpty()) {
            throw new IllegalStateException(getClass().getName() + " neither overrides apply(state, event) nor declares"
                    + " @Handles methods; add one of them");
        }
        Method handler = resolve(handlers, event.getClass());
        if (handler == null) {
            return state;
        }
        try {
            @SuppressWarnings("unchecked")
            S next = (S) handler.invoke(this, state, event);
            return next;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("handler " + handler + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call handler " + handler, e);
        }
    }

    /**
     * The version of this aggregate's snapshot format. Bump it when the state type changes shape:
     * snapshots with another version are ignored and the aggregate is rebuilt by a full replay.
     */
    protected int snapshotSchemaVersion() {
        return 1;
    }

    /**
     * The state type, used to read snapshots. The default resolves {@code S} from the class
     * declaration ({@code extends AggregateRoot<NoteState>}); override it when {@code S} is only
     * known at run time.
     */
    protected Type stateType() {
        for (Class<?> c = getClass(); c != null && c != AggregateRoot.class; c = c.getSuperclass()) {
            if (c.getGenericSuperclass() instanceof ParameterizedType p && p.getRawType() == AggregateRoot.class) {
                Type state = p.getActualTypeArguments()[0];
                if (!(state instanceof TypeVariable<?>)) {
                    return state;
                }
            }
        }
        throw new IllegalStateException(getClass().getName() + " does not fix its state type in 'extends AggregateRoot<S>';"
                + " override stateType() to use snapshots");
    }

    public final UUID aggregateId() {
        return aggregateId;
    }

    /** The version including uncommitted events: the number of events applied so far. */
    public final long version() {
        return version;
    }

    /** The current state; {@link #initialState()} before any event. */
    public final S state() {
        if (!stateInitialized) {
            state = initialState();
            stateInitialized = true;
        }
        return state;
    }

    /** Applies a new event and queues it for saving. */
    protected final void applyEvent(DomainEvent event) {
        Objects.requireNonNull(event, "event");
        transition(event);
        uncommitted.add(event);
    }

    /** Events applied since the last load or save, in order; read-only. */
    public final List<DomainEvent> uncommittedEvents() {
        return Collections.unmodifiableList(uncommitted);
    }

    public final boolean hasUncommittedEvents() {
        return !uncommitted.isEmpty();
    }

    /** The version the store holds for this aggregate, i.e. before the uncommitted events. */
    final long committedVersion() {
        return version - uncommitted.size();
    }

    /** Replays a stored event on load. */
    final void replay(DomainEvent event, long eventVersion) {
        if (eventVersion != version + 1) {
            throw new IllegalStateException("event version " + eventVersion + " does not follow " + version + " for " + aggregateId);
        }
        transition(event);
    }

    /** Restores a snapshot of a fresh aggregate. */
    final void restore(S snapshotState, long snapshotVersion) {
        if (version != 0 || !uncommitted.isEmpty()) {
            throw new IllegalStateException("a snapshot can only be restored into a fresh aggregate");
        }
        state = snapshotState;
        stateInitialized = true;
        version = snapshotVersion;
    }

    /** Called by the repository once the uncommitted events are stored. */
    final void markCommitted() {
        uncommitted.clear();
    }

    private void transition(DomainEvent event) {
        state = apply(state(), event);
        version++;
    }

    private static Method resolve(Map<Class<?>, Method> handlers, Class<?> eventClass) {
        Method exact = handlers.get(eventClass);
        if (exact != null) {
            return exact;
        }
        Method best = null;
        for (Map.Entry<Class<?>, Method> h : handlers.entrySet()) {
            if (h.getKey().isAssignableFrom(eventClass)
                    && (best == null || best.getParameterTypes()[1].isAssignableFrom(h.getKey()))) {
                best = h.getValue();
            }
        }
        return best;
    }

    private static Map<Class<?>, Method> findHandlers(Class<?> type) {
        Map<Class<?>, Method> handlers = new HashMap<>();
        for (Class<?> c = type; c != null && c != AggregateRoot.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(Handles.class)) {
                    continue;
                }
                Class<?>[] params = m.getParameterTypes();
                if (params.length != 2 || !DomainEvent.class.isAssignableFrom(params[1]) || Modifier.isStatic(m.getModifiers())
                        || m.getReturnType() == void.class) {
                    throw new IllegalStateException("@Handles method " + m + " must be an instance method (S state, SomeEvent e) returning the next state");
                }
                m.setAccessible(true);
                Method previous = handlers.putIfAbsent(params[1], m);
                if (previous != null && previous.getDeclaringClass() == c) {
                    throw new IllegalStateException("two @Handles methods for " + params[1].getSimpleName() + " in " + type.getName());
                }
            }
        }
        return Map.copyOf(handlers);
    }
}
