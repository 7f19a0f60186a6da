package dev.eventsource.event.scanned.deeper;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventType;

/** An event of a subpackage, with its own type name. */
@EventType("scanned.Deep")
public record Deep() implements DomainEvent {
}
