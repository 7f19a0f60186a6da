package dev.eventsource.store;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link RecordedEventReader#statistics} counts over the events a filter selects.
 *
 * @param events            how many events
 * @param streams           how many streams hold at least one of them
 * @param firstPosition     the lowest global position among them; 0 when there are none
 * @param lastPosition      the highest; 0 when there are none
 * @param firstEventAt      the occurrence time of the event at {@code firstPosition}; null when there are none
 * @param lastEventAt       the occurrence time of the event at {@code lastPosition}; null when there are none
 * @param byEventType       events per event type, sorted by name
 * @param byAggregateType   events per aggregate type, sorted by name
 */
public record LogStatistics(long events, long streams, long firstPosition, long lastPosition, Instant firstEventAt,
                            Instant lastEventAt, Map<String, Long> byEventType, Map<String, Long> byAggregateType) {

    /** Copies the maps into unmodifiable maps sorted by name; refuses negative counts. */
    public LogStatistics {
        if (events < 0 || streams < 0 || firstPosition < 0 || lastPosition < 0) {
            throw new IllegalArgumentException("counts and positions must not be negative; got events " + events
                    + ", streams " + streams + ", positions " + firstPosition + " to " + lastPosition);
        }
        byEventType = java.util.Collections.unmodifiableMap(new TreeMap<>(byEventType));
        byAggregateType = java.util.Collections.unmodifiableMap(new TreeMap<>(byAggregateType));
    }
}
