package dev.eventsource.store;


import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@code readAll} reads from the global log, and how.
 *
 * <p>All filters combine with AND; within {@code eventTypes} or {@code aggregateTypes} any listed
 * name matches. Timestamps filter on {@code occurredAt} and are inclusive at both ends; like the
 * stored times, they are truncated to microseconds when set, so every backend compares the same
 * values (a bound of {@code 10:00:00.0000015} keeps an event stored at {@code 10:00:00.000001});
 * a bound beyond years 1 to 9999, where no stored time lies, is moved to just outside them.
 * {@code fromPosition} is exclusive: forward reads return positions above it, backward reads
 * positions below it. Without it, forward reads start at the beginning and backward reads at the
 * end. {@code pageSize} bounds how many events are loaded at a time: memory stays bounded by it
 * however large the store, and no connection is held between pages.
 */
public final class ReadOptions {

    /** Read everything, oldest first. */
    public static final ReadOptions ALL = builder().build();

    /** The page size used when none is set. */
    public static final int DEFAULT_PAGE_SIZE = 500;

    private final Long fromPosition;
    private final Integer limit;
    private final ReadDirection direction;
    private final Set<String> eventTypes;
    private final java.util.List<TypePattern> patterns;
    private final Set<String> aggregateTypes;
    private final String tenantId;
    private final Instant fromTimestamp;
    private final Instant toTimestamp;
    private final int pageSize;

    private ReadOptions(Builder b) {
        this.fromPosition = b.fromPosition;
        this.limit = b.limit;
        this.direction = b.direction;
        this.eventTypes = Set.copyOf(b.eventTypes);
        this.patterns = b.eventTypes.stream().map(TypePattern::of).filter(p -> !p.isExact()).toList();
        this.aggregateTypes = Set.copyOf(b.aggregateTypes);
        this.tenantId = b.tenantId;
        this.fromTimestamp = b.fromTimestamp;
        this.toTimestamp = b.toTimestamp;
        this.pageSize = b.pageSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.fromPosition = fromPosition;
        b.limit = limit;
        b.direction = direction;
        b.eventTypes.addAll(eventTypes);
        b.aggregateTypes.addAll(aggregateTypes);
        b.tenantId = tenantId;
        b.fromTimestamp = fromTimestamp;
        b.toTimestamp = toTimestamp;
        b.pageSize = pageSize;
        return b;
    }

    /** The exclusive starting position, if set. */
    public OptionalLong fromPosition() {
        return fromPosition == null ? OptionalLong.empty() : OptionalLong.of(fromPosition);
    }

    /** The maximum number of events to return, if set. */
    public OptionalInt limit() {
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    public ReadDirection direction() {
        return direction;
    }

    /** Event type names to keep; empty means all. */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    /** The {@link #eventTypes()} that are plain names (no {@code *}), for an exact-match filter. */
    public Set<String> exactEventTypes() {
        Set<String> exact = new LinkedHashSet<>();
        for (String t : eventTypes) {
            if (TypePattern.of(t).isExact()) {
                exact.add(t);
            }
        }
        return exact;
    }

    /** The {@link #eventTypes()} that are {@link TypePattern patterns} ({@code Order*}, {@code *Created}). */
    public java.util.List<TypePattern> eventTypePatterns() {
        return patterns;
    }

    /** Whether an event of type {@code eventType} passes the event-type filter: no filter, a name or a pattern. */
    public boolean selectsEventType(String eventType) {
        if (eventTypes.isEmpty() || eventTypes.contains(eventType)) {
            return true;
        }
        for (TypePattern p : patterns) {
            if (p.matches(eventType)) {
                return true;
            }
        }
        return false;
    }

    /** Aggregate types to keep; empty means all. */
    public Set<String> aggregateTypes() {
        return aggregateTypes;
    }

    /** The tenant to keep, or {@code null} for all. */
    public String tenantId() {
        return tenantId;
    }

    /** Inclusive lower bound on {@code occurredAt}, truncated to microseconds, or {@code null}. */
    public Instant fromTimestamp() {
        return fromTimestamp;
    }

    /** Inclusive upper bound on {@code occurredAt}, truncated to microseconds, or {@code null}. */
    public Instant toTimestamp() {
        return toTimestamp;
    }

    /** Whether these options leave some events out: by event type, aggregate type, tenant or time. */
    public boolean isFiltered() {
        return !eventTypes.isEmpty() || !aggregateTypes.isEmpty() || tenantId != null || fromTimestamp != null
                || toTimestamp != null;
    }

    /** Rows per round trip when the log is read page by page. */
    public int pageSize() {
        return pageSize;
    }

    /** The most rows one page of a read with these options holds: the page size, or the limit when it is lower. */
    public int rowsPerPage() {
        return limit == null ? pageSize : Math.min(limit, pageSize);
    }

    @Override
    public String toString() {
        return "ReadOptions[fromPosition=" + fromPosition + ", limit=" + limit + ", direction=" + direction
                + ", eventTypes=" + eventTypes + ", aggregateTypes=" + aggregateTypes + ", tenantId=" + tenantId
                + ", fromTimestamp=" + fromTimestamp + ", toTimestamp=" + toTimestamp + ", pageSize=" + pageSize + "]";
    }

    /** Builds {@link ReadOptions}; every setter validates its argument at once. */
    public static final class Builder {
        private Long fromPosition;
        private Integer limit;
        private ReadDirection direction = ReadDirection.FORWARD;
        private final Set<String> eventTypes = new LinkedHashSet<>();
        private final Set<String> aggregateTypes = new LinkedHashSet<>();
        private String tenantId;
        private Instant fromTimestamp;
        private Instant toTimestamp;
        private int pageSize = DEFAULT_PAGE_SIZE;

        private Builder() {
        }

        /** Exclusive start: forward reads return positions above it, backward reads below it. */
        public Builder fromPosition(long position) {
            if (position < 0) {
                throw new IllegalArgumentException("fromPosition must be >= 0; got " + position);
            }
            this.fromPosition = position;
            return this;
        }

        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1; got " + limit + " (leave it unset to read everything)");
            }
            this.limit = limit;
            return this;
        }

        public Builder direction(ReadDirection direction) {
            this.direction = Objects.requireNonNull(direction, "direction");
            return this;
        }

        /**
         * Keeps events of any of these type names or {@linkplain TypePattern patterns}
         * ({@code Order*}, {@code *Created}, {@code *Invoice*}).
         *
         * @throws IllegalArgumentException if a name is blank or holds U+0000 or a lone UTF-16
         *                                  surrogate, or a pattern is malformed (see {@link TypePattern})
         */
        public Builder eventTypes(String... eventTypes) {
            Set<String> names = names("eventTypes", eventTypes);
            names.forEach(TypePattern::of);
            this.eventTypes.addAll(names);
            return this;
        }

        /**
         * Keeps events of any of these aggregate types.
         *
         * @throws IllegalArgumentException if a name is blank or holds U+0000 or a lone UTF-16 surrogate
         */
        public Builder aggregateTypes(String... aggregateTypes) {
            this.aggregateTypes.addAll(names("aggregateTypes", aggregateTypes));
            return this;
        }

        /**
         * Keeps the events of one tenant.
         *
         * @throws IllegalArgumentException if it is blank or holds a character no backend stores
         *                                  (U+0000 or a lone UTF-16 surrogate)
         */
        public Builder tenantId(String tenantId) {
            if (tenantId == null || tenantId.isBlank()) {
                throw new IllegalArgumentException("tenantId must be non-blank");
            }
            // A tenant no store can hold would match another tenant's '?'-mangled name in SQL.
            this.tenantId = EventLimits.requireWellFormed("tenantId", tenantId);
            return this;
        }

        /**
         * Inclusive lower bound on {@code occurredAt}; truncated to microseconds, the precision
         * stored times have, and moved to one microsecond outside years 1 to 9999 if it lies further
         * out (e.g. {@code Instant.MIN}), which selects the same events.
         */
        public Builder fromTimestamp(Instant from) {
            this.fromTimestamp = bound(Objects.requireNonNull(from, "fromTimestamp"));
            return this;
        }

        /**
         * Inclusive upper bound on {@code occurredAt}; truncated to microseconds, the precision
         * stored times have, and moved to one microsecond outside years 1 to 9999 if it lies further
         * out (e.g. {@code Instant.MAX}), which selects the same events.
         */
        public Builder toTimestamp(Instant to) {
            this.toTimestamp = bound(Objects.requireNonNull(to, "toTimestamp"));
            return this;
        }

        /** How many events to load per round trip; bounds memory. */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 100_000) {
                throw new IllegalArgumentException("pageSize must be between 1 and 100000; got " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code fromTimestamp} is after {@code toTimestamp}
         */
        public ReadOptions build() {
            if (fromTimestamp != null && toTimestamp != null && fromTimestamp.isAfter(toTimestamp)) {
                throw new IllegalArgumentException("fromTimestamp " + fromTimestamp + " is after toTimestamp " + toTimestamp);
            }
            return new ReadOptions(this);
        }

        /**
         * Stored times lie within years 1 to 9999, so a bound further out selects what the nearest
         * instant outside that range selects; moving it there keeps it within every backend's
         * timestamp type (PostgreSQL's ends in year 294276, Java's OffsetDateTime before Instant.MAX).
         */
        private static Instant bound(Instant t) {
            Instant micros = t.truncatedTo(ChronoUnit.MICROS);
            if (micros.isBefore(EventLimits.MIN_TIME)) {
                return EventLimits.MIN_TIME.minus(1, ChronoUnit.MICROS);
            }
            if (micros.isAfter(EventLimits.MAX_TIME)) {
                return EventLimits.MAX_TIME.plus(1, ChronoUnit.MICROS);
            }
            return micros;
        }

        private static Set<String> names(String what, String... names) {
            Objects.requireNonNull(names, what);
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException(what + " must be non-blank names; got " + Arrays.toString(names));
                }
                EventLimits.requireWellFormed(what, n);
            }
            return new LinkedHashSet<>(Arrays.asList(names));
        }
    }
}
