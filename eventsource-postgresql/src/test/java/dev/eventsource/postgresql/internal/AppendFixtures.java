package dev.eventsource.postgresql.internal;

import dev.eventsource.store.StreamId;
import dev.eventsource.store.spi.SerializedEvent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Streams, events and times for the tests that append through {@link EventsTable} directly. */
final class AppendFixtures {

    private AppendFixtures() {
    }

    /** A new stream of type {@code Note}. */
    static StreamId stream() {
        return new StreamId("Note", UUID.randomUUID());
    }

    /** A small {@code Noted} event with a new id, of {@code tenant} ({@code null} for none). */
    static SerializedEvent event(String tenant) {
        return new SerializedEvent(UUID.randomUUID(), "Noted", 1, now(), tenant, "{}", "{\"text\": \"hello\"}");
    }

    /** Now, to the microsecond PostgreSQL keeps. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
