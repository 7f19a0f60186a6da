package dev.eventsource.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What a telemetry observer keeps per watched name (a subscription, a relay): the running ones'
 * state suppliers, read by the gauges at collection time, and each name's attributes. Thread-safe.
 *
 * @param <S> the state a running one reports
 */
final class Watched<S> {

    private final String kind;
    private final AttributeKey<String> key;
    private final Map<String, Supplier<S>> running = new ConcurrentHashMap<>();
    private final Map<String, Attributes> attributes = new ConcurrentHashMap<>();

    /** For {@code kind}s ("subscription", "relay") named by attribute {@code key}. */
    Watched(String kind, AttributeKey<String> key) {
        this.kind = kind;
        this.key = key;
    }

    /**
     * Reports {@code name}'s state until the returned handle is closed.
     *
     * @throws IllegalStateException if {@code name} is registered and not yet closed
     */
    AutoCloseable register(String name, Supplier<S> state) {
        Objects.requireNonNull(name, kind);
        Objects.requireNonNull(state, "state");
        if (running.putIfAbsent(name, state) != null) {
            throw new IllegalStateException(kind + " " + name + " is registered already; close its registration when it"
                    + " stops before registering it again");
        }
        return () -> running.remove(name, state);
    }

    /** Each running one's state and attributes; one whose state cannot be read (its store is unreachable) is left out. */
    void forEachRunning(BiConsumer<S, Attributes> report) {
        running.forEach((name, supplier) -> {
            S state;
            try {
                state = supplier.get();
            } catch (RuntimeException e) {
                return; // Reports nothing this time rather than a guess.
            }
            report.accept(state, attributes(name));
        });
    }

    Attributes attributes(String name) {
        return attributes.computeIfAbsent(name, n -> Attributes.of(key, n));
    }

    /** Forgets every running one. */
    void clear() {
        running.clear();
    }
}
