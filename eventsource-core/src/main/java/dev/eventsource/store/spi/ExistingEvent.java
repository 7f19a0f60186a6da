package dev.eventsource.store.spi;

import dev.eventsource.store.StreamId;

import java.util.UUID;

/** Where an already stored event id lives; input to {@link AppendRules}. */
public record ExistingEvent(UUID eventId, StreamId stream, long version, long globalPosition) {
}
