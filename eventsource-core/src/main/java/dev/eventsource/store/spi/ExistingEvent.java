package dev.eventsource.store.spi;

import java.util.UUID;

/** Where an already stored event id lives; input to {@link AppendRules}. */
public record ExistingEvent(UUID eventId, StreamKey stream, long version, long globalPosition) {
}
