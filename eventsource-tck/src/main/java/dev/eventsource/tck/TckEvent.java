package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The events the contract suites write: plain records covering the payload shapes every backend
 * must round-trip (strings, ints, {@link BigDecimal}, {@link Instant}, {@link UUID}, enums, nested
 * records, lists, maps, {@link Optional}). Registering this sealed interface registers them all.
 */
public sealed interface TckEvent extends DomainEvent
        permits TckEvent.Created, TckEvent.Renamed, TckEvent.Priced, TckEvent.Detailed {

    /** The first event of a test stream. */
    record Created(String name) implements TckEvent {
    }

    /** A later event of a test stream. */
    record Renamed(String name, int revision) implements TckEvent {
    }

    /** Numbers, times, ids and an enum. */
    record Priced(BigDecimal amount, Channel channel, Instant effectiveAt, UUID reference) implements TckEvent {
    }

    /** A nested record and collections. */
    record Detailed(Address address, List<String> tags, Map<String, Integer> counts, Optional<String> note)
            implements TckEvent {
    }

    /** A value nested inside {@link Detailed}. */
    record Address(String street, String city) {
    }

    /** An enum carried by {@link Priced}. */
    enum Channel { WEB, MOBILE, BRANCH }
}
