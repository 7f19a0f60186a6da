package dev.eventsource.telemetry;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.StoredEvent;

import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Log correlation: while a handler runs (a subscription's, or a bus consumer group's), the
 * library puts these keys into SLF4J's MDC, so that what the handler logs names the event it was
 * handling. The keys are removed (or given back their earlier values) when the call ends.
 *
 * <table>
 *   <caption>MDC keys</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@value #SUBSCRIPTION}</td><td>the subscription's name (subscription handlers)</td></tr>
 *   <tr><td>{@value #GROUP}</td><td>the consumer group's name (bus handlers)</td></tr>
 *   <tr><td>{@value #EVENT_ID}</td><td>the event's id (one event per call)</td></tr>
 *   <tr><td>{@value #EVENT_TYPE}</td><td>the event's stored type name (one event per call)</td></tr>
 *   <tr><td>{@value #GLOBAL_POSITION}</td><td>its global position, or {@code first..last} for a batch</td></tr>
 *   <tr><td>{@value #TRACE_ID}</td><td>the trace id of the span that appended the event, from its
 *       stored {@code traceparent} (one event per call, when it has one)</td></tr>
 * </table>
 *
 * <p>The current span's own trace id is not set here: the OpenTelemetry Java agent's logging
 * instrumentation sets {@code trace_id} for it. Without an SLF4J provider on the class path (or
 * without {@code slf4j-api}, an optional dependency) nothing is done: a no-op that costs one
 * boolean check. Log4j 2 through {@code log4j-slf4j2-impl} sees the keys in its
 * {@code ThreadContext}.
 */
public final class LogContext implements AutoCloseable {

    public static final String SUBSCRIPTION = "eventsource.subscription";
    public static final String GROUP = "eventsource.group";
    public static final String EVENT_ID = "eventsource.event_id";
    public static final String EVENT_TYPE = "eventsource.event_type";
    public static final String GLOBAL_POSITION = "eventsource.global_position";
    public static final String TRACE_ID = "eventsource.trace_id";

    private static final boolean ENABLED = slf4jProviderPresent();
    private static final LogContext NONE = new LogContext(new String[0], new String[0]);

    private final String[] keys;
    private final String[] previous;

    private LogContext(String[] keys, String[] previous) {
        this.keys = keys;
        this.previous = previous;
    }

    /** Whether the keys reach a logging backend: an SLF4J provider is on the class path. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** The keys for a subscription handling {@code event}; close it when the call ends. */
    public static LogContext subscription(String subscription, StoredEvent event) {
        return ENABLED ? event(SUBSCRIPTION, subscription, event) : NONE;
    }

    /** The keys for a subscription handling a batch from {@code first} to {@code last} global position. */
    public static LogContext subscription(String subscription, long first, long last) {
        return ENABLED ? put(new String[] {SUBSCRIPTION, GLOBAL_POSITION},
                new String[] {subscription, first == last ? Long.toString(first) : first + ".." + last}) : NONE;
    }

    /** The keys for a subscription handling {@code events}, one event or a batch. */
    public static LogContext subscription(String subscription, List<StoredEvent> events) {
        if (!ENABLED || events.isEmpty()) {
            return NONE;
        }
        return events.size() == 1 ? subscription(subscription, events.get(0))
                : subscription(subscription, events.get(0).globalPosition(), events.get(events.size() - 1).globalPosition());
    }

    /** The keys for a bus consumer group handling {@code event}. */
    public static LogContext group(String group, StoredEvent event) {
        return ENABLED ? event(GROUP, group, event) : NONE;
    }

    private static LogContext event(String whoKey, String who, StoredEvent event) {
        Objects.requireNonNull(event, "event");
        String traceId = traceId(event.metadata());
        return traceId == null
                ? put(new String[] {whoKey, EVENT_ID, EVENT_TYPE, GLOBAL_POSITION},
                        new String[] {who, String.valueOf(event.eventId()), event.eventType(), Long.toString(event.globalPosition())})
                : put(new String[] {whoKey, EVENT_ID, EVENT_TYPE, GLOBAL_POSITION, TRACE_ID},
                        new String[] {who, String.valueOf(event.eventId()), event.eventType(),
                                Long.toString(event.globalPosition()), traceId});
    }

    private static String traceId(EventMetadata metadata) {
        if (metadata == null) {
            return null;
        }
        // version-traceid-spanid-flags, checked by EventMetadata when it was stored
        return metadata.traceparent().map(t -> t.length() >= 35 ? t.substring(3, 35) : null).orElse(null);
    }

    private static LogContext put(String[] keys, String[] values) {
        String[] previous = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            previous[i] = Mdc.get(keys[i]);
            Mdc.put(keys[i], values[i]);
        }
        return new LogContext(keys, previous);
    }

    /** Takes the keys out again, giving back the values they had before. */
    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (previous[i] == null) {
                Mdc.remove(keys[i]);
            } else {
                Mdc.put(keys[i], previous[i]);
            }
        }
    }

    private static boolean slf4jProviderPresent() {
        try {
            Class<?> spi = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false, LogContext.class.getClassLoader());
            return ServiceLoader.load(spi, spi.getClassLoader()).stream().findAny().isPresent();
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** The only class that names SLF4J: loaded only when a provider is present. */
    private static final class Mdc {
        static String get(String key) {
            return org.slf4j.MDC.get(key);
        }

        static void put(String key, String value) {
            org.slf4j.MDC.put(key, value);
        }

        static void remove(String key) {
            org.slf4j.MDC.remove(key);
        }
    }
}
