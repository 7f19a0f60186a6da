package dev.eventsource.bus;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tenant.TenantId;

import java.util.Objects;

/**
 * Which events a {@link ConsumerGroup} receives: all, the instances of one class, or one stored
 * type name, each optionally narrowed to one tenant ({@link #forTenant}). It is data, not a
 * predicate, so that a broker adapter can route on it (a topic or a
 * binding per type) instead of filtering after delivery.
 */
public sealed interface EventSelector permits EventSelector.All, EventSelector.OfClass, EventSelector.OfType, EventSelector.OfTenant {

    /** Whether {@code event} is one this selector receives. */
    boolean matches(StoredEvent event);

    /** Every event. */
    static EventSelector all() {
        return All.INSTANCE;
    }

    /**
     * The events whose payload is an instance of {@code eventClass}: a record class selects that
     * event, a (sealed) interface selects every event class that implements it.
     */
    static EventSelector ofClass(Class<? extends DomainEvent> eventClass) {
        return new OfClass(eventClass);
    }

    /** The events stored under the type name {@code eventType} (see {@code EventRegistry.typeName}). */
    static EventSelector ofType(String eventType) {
        return new OfType(eventType);
    }

    /**
     * What this selector selects, of {@code tenant}'s events only (those whose
     * {@code metadata().tenantId()} is the tenant's); events without a tenant are not selected. A
     * selector already narrowed to {@code tenant} is returned as it is.
     *
     * @throws NullPointerException     if {@code tenant} is null
     * @throws IllegalArgumentException if this selector is already narrowed to another tenant: it
     *                                  would select nothing
     */
    default EventSelector forTenant(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant must not be null; leave the selector as it is for every tenant");
        if (this instanceof OfTenant narrowed) {
            if (narrowed.tenant().equals(tenant)) {
                return this;
            }
            throw new IllegalArgumentException("this selector is already narrowed to tenant '" + narrowed.tenant().value()
                    + "'; narrowing it to '" + tenant.value() + "' as well would select nothing");
        }
        return new OfTenant(tenant, this);
    }

    /** Every event; obtain it with {@link EventSelector#all()}. */
    record All() implements EventSelector {
        private static final All INSTANCE = new All();

        @Override
        public boolean matches(StoredEvent event) {
            return true;
        }
    }

    /**
     * Instances of {@code eventClass}.
     *
     * @param eventClass a {@link DomainEvent} class or interface; never null
     */
    record OfClass(Class<? extends DomainEvent> eventClass) implements EventSelector {
        public OfClass {
            Objects.requireNonNull(eventClass, "eventClass must not be null; use EventSelector.all() for every event");
            if (!DomainEvent.class.isAssignableFrom(eventClass)) {
                throw new IllegalArgumentException(eventClass.getName() + " is not a DomainEvent; select an event class");
            }
        }

        @Override
        public boolean matches(StoredEvent event) {
            return eventClass.isInstance(event.event());
        }
    }

    /**
     * One stored type name.
     *
     * @param eventType a non-blank type name, as {@code EventRegistry.typeName} gives it
     */
    record OfType(String eventType) implements EventSelector {
        public OfType {
            if (eventType == null || eventType.isBlank()) {
                throw new IllegalArgumentException("eventType must be a non-blank stored type name, e.g."
                        + " EventRegistry.typeName(NoteCreated.class); got " + (eventType == null ? "null" : "'" + eventType + "'"));
            }
        }

        @Override
        public boolean matches(StoredEvent event) {
            return eventType.equals(event.eventType());
        }
    }

    /**
     * The events of one tenant that {@code within} selects; obtain it with {@link #forTenant}.
     *
     * @param tenant the tenant; never null
     * @param within what is selected of the tenant's events; never null, not itself narrowed to a tenant
     */
    record OfTenant(TenantId tenant, EventSelector within) implements EventSelector {
        public OfTenant {
            Objects.requireNonNull(tenant, "tenant must not be null");
            Objects.requireNonNull(within, "within must not be null; use EventSelector.all() for every event of the tenant");
            if (within instanceof OfTenant) {
                throw new IllegalArgumentException("within is already narrowed to a tenant; narrow a selector to one tenant only");
            }
        }

        @Override
        public boolean matches(StoredEvent event) {
            return tenant.value().equals(event.metadata().tenantId()) && within.matches(event);
        }
    }
}
