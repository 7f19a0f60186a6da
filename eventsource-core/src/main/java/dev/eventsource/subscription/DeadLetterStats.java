package dev.eventsource.subscription;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * Unresolved dead letters counted: in all, per subscription and per error type (the exception
 * class: the error text up to its first {@code ':'}). Maps are sorted by name.
 */
public record DeadLetterStats(long unresolved, Map<String, Long> bySubscription, Map<String, Long> byErrorType) {

    public DeadLetterStats {
        bySubscription = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(bySubscription, "bySubscription")));
        byErrorType = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(byErrorType, "byErrorType")));
    }

    /** The error type of an error text as dead letters store it ("class: message"): the class. */
    public static String errorType(String error) {
        int colon = error.indexOf(':');
        String type = (colon < 0 ? error : error.substring(0, colon)).strip();
        return type.isEmpty() ? "(none)" : type;
    }
}
