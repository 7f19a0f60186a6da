package dev.eventsource.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Maps event type names (as stored) to event classes and back, and holds the upcasters that
 * bring old stored schema versions up to the current record.
 *
 * <p>Thread-safe. Registering the same class twice is a no-op; registering a different class
 * under a name that is taken is refused with {@link DuplicateEventTypeException}. Registering a
 * sealed interface registers every record (or class) it permits, recursively. Stores register
 * an event's class on its first write, so an application that writes needs no registration; a
 * process that only reads must register (or be given a registry that knows) the types it reads,
 * otherwise reading them fails with {@link UnknownEventTypeException}.
 *
 * <p>Use {@link #defaultRegistry()} for the process-wide registry stores use when none is
 * given, or {@code new EventRegistry()} for an isolated one (tests, several bounded contexts).
 */
public final class EventRegistry {

    private static final EventRegistry DEFAULT = new EventRegistry();

    private final Map<String, Class<? extends DomainEvent>> byName = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, Upcaster>> upcasters = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();

    /** The process-wide registry used by stores that are not given one. */
    public static EventRegistry defaultRegistry() {
        return DEFAULT;
    }

    /**
     * Registers an event class, or every permitted subclass of a sealed interface.
     *
     * @return this registry, for chaining
     * @throws DuplicateEventTypeException if another class already has the type name
     * @throws IllegalArgumentException    if the class is abstract and not sealed
     */
    public EventRegistry register(Class<? extends DomainEvent> eventClass) {
        Objects.requireNonNull(eventClass, "eventClass");
        if (eventClass.isSealed()) {
            for (Class<?> permitted : eventClass.getPermittedSubclasses()) {
                register(permitted.asSubclass(DomainEvent.class));
            }
            return this;
        }
        if (eventClass.isInterface() || java.lang.reflect.Modifier.isAbstract(eventClass.getModifiers())) {
            throw new IllegalArgumentException(eventClass.getName()
                    + " is abstract; register its concrete event records, or make it a sealed interface");
        }
        String name = typeName(eventClass);
        Class<? extends DomainEvent> existing = byName.get(name);
        if (existing == eventClass) {
            return this;
        }
        writeLock.lock();
        try {
            existing = byName.putIfAbsent(name, eventClass);
            if (existing != null && existing != eventClass) {
                throw new DuplicateEventTypeException(name, existing, eventClass);
            }
        } finally {
            writeLock.unlock();
        }
        return this;
    }

    /** Registers several classes; see {@link #register(Class)}. */
    @SafeVarargs
    public final EventRegistry registerAll(Class<? extends DomainEvent>... eventClasses) {
        for (Class<? extends DomainEvent> c : eventClasses) {
            register(c);
        }
        return this;
    }

    /**
     * Registers the upcaster that turns stored JSON of {@code fromVersion} of {@code eventType}
     * into JSON of {@code fromVersion + 1}.
     *
     * @throws IllegalArgumentException if a step from that version is already registered
     */
    public EventRegistry registerUpcaster(String eventType, int fromVersion, Upcaster upcaster) {
        requireName(eventType);
        Objects.requireNonNull(upcaster, "upcaster");
        if (fromVersion < 1) {
            throw new IllegalArgumentException("fromVersion counts from 1; got " + fromVersion);
        }
        Upcaster previous = upcasters.computeIfAbsent(eventType, k -> new ConcurrentHashMap<>())
                .putIfAbsent(fromVersion, upcaster);
        if (previous != null) {
            throw new IllegalArgumentException("An upcaster for " + eventType + " v" + fromVersion + " -> v"
                    + (fromVersion + 1) + " is already registered");
        }
        return this;
    }

    /** The class registered under a name. */
    public Optional<Class<? extends DomainEvent>> find(String eventType) {
        return Optional.ofNullable(byName.get(eventType));
    }

    /**
     * The class registered under a name.
     *
     * @throws UnknownEventTypeException listing the known names when there is none
     */
    public Class<? extends DomainEvent> lookup(String eventType) {
        Class<? extends DomainEvent> c = byName.get(eventType);
        if (c == null) {
            throw new UnknownEventTypeException(eventType, knownTypes());
        }
        return c;
    }

    /** True when the class (not just its name) is registered. */
    public boolean isRegistered(Class<? extends DomainEvent> eventClass) {
        return byName.get(typeName(eventClass)) == eventClass;
    }

    /** Every registered name, sorted. */
    public List<String> knownTypes() {
        List<String> names = new ArrayList<>(byName.keySet());
        Collections.sort(names);
        return names;
    }

    /** The upcaster from {@code fromVersion}, if registered. */
    public Optional<Upcaster> upcaster(String eventType, int fromVersion) {
        Map<Integer, Upcaster> steps = upcasters.get(eventType);
        return Optional.ofNullable(steps == null ? null : steps.get(fromVersion));
    }

    /** The stored type name of a class: its {@link EventType#value()} or its simple name. */
    public static String typeName(Class<?> eventClass) {
        EventType annotation = eventClass.getAnnotation(EventType.class);
        if (annotation != null && !annotation.value().isBlank()) {
            return annotation.value();
        }
        return eventClass.getSimpleName();
    }

    /** The schema version written for a class: its {@link EventType#version()} or 1. */
    public static int schemaVersion(Class<?> eventClass) {
        EventType annotation = eventClass.getAnnotation(EventType.class);
        int version = annotation == null ? 1 : annotation.version();
        if (version < 1) {
            throw new IllegalArgumentException("@EventType(version) counts from 1; " + eventClass.getName() + " has " + version);
        }
        return version;
    }

    private static void requireName(String eventType) {
        if (eventType == null || eventType.isBlank()) {
            throw new IllegalArgumentException("eventType must be a non-blank name");
        }
    }
}
