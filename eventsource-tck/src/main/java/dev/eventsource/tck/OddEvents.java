package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventType;

import java.math.BigDecimal;
import java.util.List;

/**
 * Events the suites use to provoke refusals, schema evolution and number normalization: payloads
 * that cannot be serialized or read back, two classes claiming one type name, two schema versions of
 * one type, and numbers whose stored form differs between JSON columns. None of them belongs to
 * {@link TckEvent}.
 */
public final class OddEvents {

    private OddEvents() {
    }

    /** Cannot be written: its accessor throws, so Jackson cannot serialize it. */
    public record Unserializable(String value) implements DomainEvent {
        @Override
        public String value() {
            throw new IllegalStateException("this event refuses to be serialized");
        }
    }

    /** Can be written but not read back: no constructor or creator Jackson could use. */
    public static final class Unreadable implements DomainEvent {
        private final String value;

        public Unreadable(String value, int ignored) {
            this.value = value;
        }

        public String getValue() {
            return value;
        }
    }

    /** Claims the type name {@code tck.Clash}. */
    @EventType("tck.Clash")
    public record ClashA(String value) implements DomainEvent {
    }

    /** Also claims the type name {@code tck.Clash}. */
    @EventType("tck.Clash")
    public record ClashB(String value) implements DomainEvent {
    }

    /** Schema version 1 of {@code tck.Person}: one field for the whole name. */
    @EventType(value = "tck.Person", version = 1)
    public record PersonV1(String fullName) implements DomainEvent {
    }

    /** Schema version 2 of {@code tck.Person}: the name split in two. */
    @EventType(value = "tck.Person", version = 2)
    public record PersonV2(String firstName, String lastName) implements DomainEvent {
    }

    /** Named explicitly, so its stored type differs from its class name. */
    @EventType("tck.Named")
    public record Named(String value) implements DomainEvent {
    }

    /** Nests itself: {@code depth} levels of JSON objects, the innermost holding {@code leaf}. */
    public record Nested(Nested inner, String leaf) implements DomainEvent {

        /** A chain of {@code depth} records, so its JSON is nested {@code depth} objects deep. */
        public static Nested ofDepth(int depth) {
            Nested nested = new Nested(null, "leaf");
            for (int level = 2; level <= depth; level++) {
                nested = new Nested(nested, null);
            }
            return nested;
        }
    }

    /** Its type name holds an unpaired UTF-16 surrogate, which no store can keep as written. */
    @EventType("tck.Broken\uD800Name")
    public record SurrogateNamed(String value) implements DomainEvent {
    }

    /** Floating-point and decimal numbers, boxed, unboxed and in collections. */
    public record Measured(double reading, float ratio, Double boxed, List<Double> samples, BigDecimal amount)
            implements DomainEvent {
    }
}
