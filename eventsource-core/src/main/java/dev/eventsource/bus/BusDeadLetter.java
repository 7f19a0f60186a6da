package dev.eventsource.bus;

import dev.eventsource.store.StoredEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An event a consumer group could not handle within its retry budget, or a message a broker
 * consumer could not even decode into an event.
 *
 * <p>Exactly one of {@link #event()} and {@link #undecodable()} is set: a handler that failed has
 * the event; a message on a consumed topic that is not an event document, not JSON, or of an event
 * type the consumer's registry does not know has {@code event == null} and the message's bytes in
 * {@link #undecodable()} (only broker adapters produce these; the in-process bus never does).
 * Replaying such an entry decodes it again (after you registered the type, say) and delivers it.
 *
 * @param id             opaque, unique within the bus; what {@link BusDeadLetters#replay} and
 *                       {@link BusDeadLetters#discard} take
 * @param group          the group's name
 * @param event          the event, with its envelope; null only for an undecodable message
 * @param error          the last failure's class and message, or why the message could not be decoded
 * @param attempts       handler calls that failed in all, replays included (for an undecodable
 *                       message: decoding attempts); {@code >= 1}
 * @param deadLetteredAt when it was (last) dead-lettered
 * @param undecodable    the raw message when it could not be decoded; null otherwise
 */
public record BusDeadLetter(String id, String group, StoredEvent event, String error, int attempts,
                            Instant deadLetteredAt, Undecodable undecodable) {

    public BusDeadLetter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        if ((event == null) == (undecodable == null)) {
            throw new IllegalArgumentException("a dead letter holds either an event or an undecodable message, not "
                    + (event == null ? "neither" : "both"));
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1; got " + attempts);
        }
    }

    /** A dead letter of a stored event a handler failed on. */
    public BusDeadLetter(String id, String group, StoredEvent event, String error, int attempts, Instant deadLetteredAt) {
        this(id, group, Objects.requireNonNull(event, "event"), error, attempts, deadLetteredAt, null);
    }

    /**
     * A broker message that could not be decoded into a stored event.
     *
     * @param source where it was read, e.g. {@code orders-3@1207} (topic, partition, offset)
     * @param key    the message key as text, or null
     * @param value  the message value's bytes (copied), or null for a message without a value
     */
    public record Undecodable(String source, String key, byte[] value) {
        public Undecodable {
            Objects.requireNonNull(source, "source");
            value = value == null ? null : value.clone();
        }

        @Override
        public byte[] value() {
            return value == null ? null : value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Undecodable u && source.equals(u.source) && Objects.equals(key, u.key)
                    && Arrays.equals(value, u.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, key) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            String text = value == null ? "null" : new String(value, StandardCharsets.UTF_8);
            return "Undecodable[source=" + source + ", key=" + key + ", value="
                    + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "]";
        }
    }
}
