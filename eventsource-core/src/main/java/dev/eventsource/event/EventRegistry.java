package dev.eventsource.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Maps event type names (as stored) to event classes and back, and holds the upcasters that
 * bring old stored schema versions up to the current record.
 *
 * <p>Thread-safe. Registering the same class twice is a no-op; registering a different class
 * under a name that is taken is refused with {@link DuplicateEventTypeException}. Registering a
 * sealed interface registers every record (or class) it permits, recursively. Stores register
 * an event's class on its first write, so an application that writes needs no registration; a
 * process that only reads must register (or be given a registry that knows) the types it reads,
 * otherwise reading them fails with {@link UnknownEventTypeException};
 * {@link #registerPackage(String)} registers every event class of a package at once.
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
     * Registers every concrete {@link DomainEvent} class of {@code packageName} and its
     * subpackages, found where the context class loader (or, without one, this class's loader)
     * finds classes: directories, and jar files that list their directories (as build tools write
     * them; a class loader finds a package in a jar by its directory entry). Meant for a process
     * that reads events it never writes (a projection or reporting process), which would otherwise
     * not know their classes. Interfaces, abstract, anonymous and local classes are passed over;
     * nested records (of a sealed interface, say) are registered. Classes are loaded without being
     * initialized.
     *
     * <p>All or nothing: when one class cannot be registered, none is.
     *
     * @return this registry, for chaining
     * @throws IllegalArgumentException    if the name is blank, or the package holds no event class
     *                                     there (a misspelt name would otherwise register nothing)
     * @throws DuplicateEventTypeException if two found classes, or a found class and a registered
     *                                     one, have the same type name
     * @throws IllegalStateException       if the package lies somewhere other than a directory or a
     *                                     jar file (e.g. a module image), or a class or jar cannot
     *                                     be read; register its classes one by one then
     */
    public EventRegistry registerPackage(String packageName) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return registerPackage(packageName, context != null ? context : EventRegistry.class.getClassLoader());
    }

    /** {@link #registerPackage(String)}, finding and loading the classes with {@code loader}. */
    public EventRegistry registerPackage(String packageName, ClassLoader loader) {
        if (packageName == null || packageName.isBlank()) {
            throw new IllegalArgumentException("packageName must be a non-blank package name, e.g. \"com.example.events\"");
        }
        Objects.requireNonNull(loader, "loader");
        List<Class<? extends DomainEvent>> found = new ArrayList<>();
        for (String className : classNames(packageName, loader)) {
            Class<?> c;
            try {
                c = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("Cannot load " + className + " while registering the event classes of package "
                        + packageName + ": " + e + ". Register the event classes one by one instead.", e);
            }
            if (DomainEvent.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
                    && !c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic()) {
                found.add(c.asSubclass(DomainEvent.class));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("No concrete DomainEvent class found in package " + packageName
                    + " or its subpackages (searched the directories and jar files of " + loader + "); check the name");
        }
        writeLock.lock();
        try {
            Map<String, Class<? extends DomainEvent>> names = new HashMap<>(byName);
            for (Class<? extends DomainEvent> c : found) {
                Class<? extends DomainEvent> taken = names.putIfAbsent(typeName(c), c);
                if (taken != null && taken != c) {
                    throw new DuplicateEventTypeException(typeName(c), taken, c);
                }
            }
            found.forEach(this::register);
        } finally {
            writeLock.unlock();
        }
        return this;
    }

    /** The binary names of the classes under a package, sorted, from every directory and jar the loader has it in. */
    private static TreeSet<String> classNames(String packageName, ClassLoader loader) {
        String path = packageName.replace('.', '/');
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (root.getProtocol().equals("file")) {
                    Path base = Path.of(root.toURI());
                    try (Stream<Path> files = Files.walk(base)) {
                        files.filter(Files::isRegularFile).forEach(f -> {
                            StringBuilder name = new StringBuilder(packageName);
                            base.relativize(f).forEach(part -> name.append('.').append(part));
                            addClassName(name.toString(), names);
                        });
                    }
                } else if (root.getProtocol().equals("jar")) {
                    URLConnection connection = root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
                        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                            String entry = entries.nextElement().getName();
                            if (entry.startsWith(path + "/")) {
                                addClassName(entry.replace('/', '.'), names);
                            }
                        }
                    }
                } else {
                    throw new IllegalStateException("Package " + packageName + " lies at " + root + ", which is neither a"
                            + " directory nor a jar file, so its classes cannot be listed; register its event classes one by one");
                }
            }
        } catch (IOException | UncheckedIOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot list the classes of package " + packageName + ": " + e
                    + "; register its event classes one by one", e);
        }
        return names;
    }

    /** Adds the class of a dotted file name ending in ".class"; skips other files, package-info and module-info. */
    private static void addClassName(String file, TreeSet<String> names) {
        if (file.endsWith(".class") && !file.contains("-")) {
            names.add(file.substring(0, file.length() - ".class".length()));
        }
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
