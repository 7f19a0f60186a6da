package dev.eventsource.event.scanned;

import dev.eventsource.event.DomainEvent;

/** Events and non-events that {@code EventRegistryTest} scans this package for. */
public record Opened(String by) implements DomainEvent {
}

/** Nested records of a sealed interface are registered; the interface itself is not. */
sealed interface Closing extends DomainEvent permits Closing.Closed, Closing.Cancelled {
    record Closed() implements Closing {
    }

    record Cancelled(String why) implements Closing {
    }
}

/** Abstract: passed over. */
abstract class AbstractEvent implements DomainEvent {
}

/** Not an event, but holds an anonymous one, which is passed over. */
final class NotAnEvent {
    static final DomainEvent ANONYMOUS = new DomainEvent() {
    };

    private NotAnEvent() {
    }
}
