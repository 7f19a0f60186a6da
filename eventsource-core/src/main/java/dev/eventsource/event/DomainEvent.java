package dev.eventsource.event;

/**
 * Marker for the payload of a domain event: a fact that happened, named in the past tense.
 *
 * <p>Implement it with a Java record. The record holds only the business data
 * ({@code NoteCreated(String title, String content)}); identity, stream, version, timestamps and
 * metadata live in the store's envelope ({@link dev.eventsource.store.StoredEvent}), never in
 * the payload. Payloads are serialized to JSON with Jackson, so their components must be
 * JSON-friendly: primitives, strings, {@code java.time} types, {@code UUID}, {@code BigDecimal},
 * enums, nested records, collections and {@code Optional}. A payload that cannot be serialized
 * is refused at append time with a {@link SerializationException} and nothing is written.
 */
public interface DomainEvent {
}
