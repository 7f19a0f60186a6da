package dev.eventsource.tck;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadDirection;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The store under test and the in-memory reference store, driven by the same seeded random
 * operations, must give the same outcome for each: the same result, or an exception of the same
 * class. Operations are appends with every kind of expected version, retries that re-send a
 * stored append, events whose id is stored elsewhere, payloads, tenants, aggregate types and
 * metadata holding hostile text (quotes, backslashes, control characters, NUL, emoji, right-to-left
 * marks, long strings), extreme times and numbers, and reads with random options.
 *
 * <p>Events are compared field by field, except {@code recordedAt} (the stores' own clock) and
 * global positions, which may differ between backends: they are compared by rank, their order in
 * the log. A failure names its seed and operation, so it can be replayed on its own by putting
 * that seed in {@link #SEEDS}.
 */
public abstract class DifferentialContract extends EventStoreFixture {

    /** The sequences every backend runs; a failure message names the one that failed. */
    static final long[] SEEDS = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765, 10946};

    /** Operations per sequence. */
    static final int OPERATIONS = 200;

    /** A payload with a field of every shape the generator varies. */
    public record Sample(String text, double number, BigDecimal amount, long count, Instant at, List<String> tags,
                         Map<String, String> attributes) implements DomainEvent {
    }

    /** A second event type, so reads can filter on event types. */
    public record Remark(String text) implements DomainEvent {
    }

    private static final Instant BASE = Instant.parse("2024-05-01T12:00:00.000001Z");

    private static final List<String> TEXTS = List.of(
            "plain", "", "quote \" apostrophe ' backslash \\ slash /", "json {\"a\": [1, 2], \"b\": null}",
            "escape \\u0000 spelled, not meant", "control \u0001\u0007\b\f\n\r\t\u001f\u007f", "separators \u2028\u2029",
            "emoji 🎉👩‍💻🇺🇳", "rtl مرحبا שלום \u202Eevil\u202C", "cjk 事件溯源 イベント", "combining e\u0301 a\u030a",
            "nul \u0000 inside", "BOM \uFEFF", "lone \uD800 high", "lone \uDC00 low", "pair reversed \uDC00\uD800");

    /** Picked for one text in twenty: they make every read of the log slower. */
    private static final List<String> LONG_TEXTS = List.of("x".repeat(5_000), "🎉".repeat(2_000), "\\\"".repeat(1_000));

    private static final List<String> AGGREGATE_TYPES = List.of(
            "Item", "Order", "Typ\"e\\'x", "类型 🎉", "rtl \u202Eעברית", "t".repeat(200), "json {\"a\":1}", "ctl \t\n");

    private static final List<String> TENANTS = List.of("acme", "acme ", "🎉 tenant", "q\"\\'", "rtl \u202Eשלום",
            "nul \u0000", "n".repeat(300));

    private static final List<String> REFUSED_IDENTIFIERS = List.of(
            "lone \uD800 high", "lone \uDC00 low", "nul \u0000 type", "t".repeat(256), "long ".repeat(2_000));

    /** Identifiers picked for streams and tenants: stored ones, and ones every store refuses alike. */
    private static final List<String> AGGREGATE_TYPES_AND_REFUSED = Stream.concat(AGGREGATE_TYPES.stream(), REFUSED_IDENTIFIERS.stream()).toList();

    private static final List<String> TENANTS_AND_REFUSED = Stream.concat(TENANTS.stream(), REFUSED_IDENTIFIERS.stream()).toList();

    private static final List<Instant> TIMES = List.of(
            BASE, BASE.plusNanos(1), BASE.plusNanos(999), BASE.plusNanos(1_000), BASE.minusNanos(1), BASE.plusSeconds(1),
            Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.EPOCH, Instant.parse("2000-02-29T00:00:00.123456789Z"));

    private static final List<Instant> REFUSED_TIMES = List.of(
            Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("+300000-01-01T00:00:00Z"),
            Instant.MIN, Instant.MAX);

    private static final List<Instant> FAR_BOUNDS = List.of(Instant.MIN, Instant.MAX, Instant.parse("-0001-06-01T00:00:00Z"),
            Instant.parse("0000-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("+300000-01-01T00:00:00Z"), Instant.parse("-300000-01-01T00:00:00Z"));

    private static final List<Double> NUMBERS = List.of(0.0, -0.0, 1.5, -1e-300, 1e300, Double.MIN_VALUE, Double.MAX_VALUE,
            0.1, Double.NaN, Double.NEGATIVE_INFINITY, 123456789.123456789);

    private static final List<BigDecimal> AMOUNTS = List.of(BigDecimal.ZERO, new BigDecimal("1.20"),
            new BigDecimal("1.5E+3"), new BigDecimal("-0.000001"), new BigDecimal("12345678901234567890.1200"),
            new BigDecimal("1E-300"), new BigDecimal("9".repeat(300)));

    private static final List<Long> COUNTS = List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 9_007_199_254_740_993L);

    @Test
    void random_operation_sequences_have_the_same_outcomes_as_on_the_in_memory_reference_store() {
        for (long seed : SEEDS) {
            EventStore candidate = newStore(new EventRegistry());
            EventStore reference = new InMemoryEventStore(new EventRegistry());
            try {
                candidate.initialize();
                new Run(seed, candidate, reference).run();
            } finally {
                candidate.close();
                reference.close();
            }
        }
    }

    /** One seeded sequence against both stores. */
    private static final class Run {
        private final long seed;
        private final Random random;
        private final Side candidate;
        private final Side reference;
        private final List<UUID> aggregateIds = new ArrayList<>();
        private final List<UUID> usedEventIds = new ArrayList<>();
        private final List<PastAppend> appends = new ArrayList<>();
        private final Deque<Supplier<String>> recent = new ArrayDeque<>();
        private int operation;

        Run(long seed, EventStore candidate, EventStore reference) {
            this.seed = seed;
            this.random = new Random(seed);
            this.candidate = new Side(candidate);
            this.reference = new Side(reference);
            for (int i = 0; i < 3; i++) {
                aggregateIds.add(new UUID(seed, i));
            }
        }

        void run() {
            for (operation = 1; operation <= OPERATIONS; operation++) {
                int dice = random.nextInt(100);
                if (dice < 40) {
                    append(freshEvents(1 + random.nextInt(3)));
                } else if (dice < 47) {
                    retry();
                } else if (dice < 52) {
                    appendWithAnIdStoredElsewhere();
                } else if (dice < 54) {
                    appendWithOneIdTwice();
                } else if (dice < 56) {
                    append(List.of());
                } else if (dice < 76) {
                    ReadOptions options = randomOptions();
                    if (options != null) {
                        readAll(options);
                    }
                } else if (dice < 86) {
                    getEvents();
                } else if (dice < 92) {
                    StreamKey key = randomStream();
                    compare(() -> "getStreamVersion " + key, s -> s.store.getStreamVersion(key.id, key.type));
                } else if (dice < 97) {
                    UUID id = usedEventIds.isEmpty() || random.nextInt(4) == 0 ? UUID.randomUUID() : pick(usedEventIds);
                    compare(() -> "eventExists " + id, s -> s.store.eventExists(id));
                } else {
                    compare(() -> "globalPosition", s -> s.rank(s.store.globalPosition()));
                }
            }
            readAll(ReadOptions.ALL);
            readAll(ReadOptions.builder().direction(ReadDirection.BACKWARD).pageSize(3).build());
        }

        private void append(List<NewEvent> events) {
            StreamKey key = randomStream();
            ExpectedVersion expected = randomExpectedVersion(key);
            appendTo(key, events, expected, "append");
        }

        private void appendTo(StreamKey key, List<NewEvent> events, ExpectedVersion expected, String what) {
            Object outcome = compare(() -> what + " " + events.size() + " event(s) to " + key + " expecting " + expected
                    + " " + describe(events), s -> {
                AppendResult result = s.store.append(key.id, key.type, events, expected);
                s.catchUp();
                return new Appended(result.newVersion(), s.rank(result.globalPosition()), result.skippedEventIds());
            });
            if (outcome instanceof Appended) {
                appends.add(new PastAppend(key, events, expected));
                events.forEach(e -> usedEventIds.add(e.eventId()));
            }
        }

        private void retry() {
            if (appends.isEmpty()) {
                return;
            }
            PastAppend past = pick(appends);
            appendTo(past.key, past.events, past.expected, "retry of");
        }

        private void appendWithAnIdStoredElsewhere() {
            if (usedEventIds.isEmpty()) {
                return;
            }
            List<NewEvent> events = new ArrayList<>(freshEvents(1 + random.nextInt(2)));
            events.add(random.nextInt(events.size() + 1), freshEvent().withEventId(pick(usedEventIds)));
            append(events);
        }

        private void appendWithOneIdTwice() {
            NewEvent event = freshEvent();
            append(List.of(event, freshEvent().withEventId(event.eventId())));
        }

        private void getEvents() {
            StreamKey key = randomStream();
            long after = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
            compare(() -> "getEvents " + key + " after " + after, s -> {
                EventStream stream = s.store.getEvents(key.id, key.type, after);
                return List.of(stream.aggregateId(), stream.aggregateType(), stream.version(), s.seen(stream.events()));
            });
        }

        private void readAll(ReadOptions options) {
            // fromPosition is chosen by rank and translated to each store's own positions.
            int rank = options.fromPosition().isPresent() ? (int) options.fromPosition().getAsLong() : -1;
            compare(() -> "readAll " + options + (rank < 0 ? "" : " (fromPosition is the rank)"), s -> {
                ReadOptions own = rank < 0 ? options : options.toBuilder().fromPosition(s.positionOfRank(rank)).build();
                try (Stream<StoredEvent> events = s.store.readAll(own)) {
                    return s.seen(events.toList());
                }
            });
        }

        /** Random read options, or null when the builder refused them (before any store could differ). */
        private ReadOptions randomOptions() {
            try {
                return buildRandomOptions();
            } catch (IllegalArgumentException refusedByTheBuilder) {
                return null;
            }
        }

        private ReadOptions buildRandomOptions() {
            ReadOptions.Builder b = ReadOptions.builder();
            if (random.nextBoolean()) {
                b.direction(ReadDirection.BACKWARD);
            }
            if (random.nextInt(3) == 0) {
                b.fromPosition(random.nextInt(reference.positions.size() + 2));
            }
            if (random.nextInt(3) == 0) {
                b.limit(1 + random.nextInt(5));
            }
            if (random.nextInt(6) == 0) {
                b.pageSize(1 + random.nextInt(3));
            }
            if (random.nextInt(4) == 0) {
                b.tenantId(random.nextInt(3) == 0 ? "unknown" : pick(tenants()));
            }
            if (random.nextInt(4) == 0) {
                b.aggregateTypes(random.nextBoolean() ? new String[] {pick(aggregateTypes())}
                        : new String[] {pick(aggregateTypes()), pick(aggregateTypes())});
            }
            if (random.nextInt(5) == 0) {
                b.eventTypes(random.nextBoolean() ? "Sample" : "Remark");
            }
            Instant from = random.nextInt(4) == 0 ? bound() : null;
            Instant to = random.nextInt(4) == 0 ? bound() : null;
            if (from != null && to != null && from.isAfter(to)) {
                Instant swap = from;
                from = to;
                to = swap;
            }
            if (from != null) {
                b.fromTimestamp(from);
            }
            if (to != null) {
                b.toTimestamp(to);
            }
            return b.build();
        }

        /** A time bound: mostly near stored times, sometimes far outside the years any event can have. */
        private Instant bound() {
            return random.nextInt(6) == 0 ? pick(FAR_BOUNDS) : nudged(pick(TIMES));
        }

        private Instant nudged(Instant t) {
            long nanos = random.nextInt(3) == 0 ? 0 : random.nextInt(2_001) - 1_000;
            Instant min = Instant.parse("0001-01-01T00:00:00Z");
            Instant max = Instant.parse("9999-12-31T23:59:59.999999999Z");
            Instant nudged = t.plusNanos(nanos);
            return nudged.isBefore(min) ? min : nudged.isAfter(max) ? max : nudged;
        }

        private ExpectedVersion randomExpectedVersion(StreamKey key) {
            long current;
            try {
                current = reference.store.getStreamVersion(key.id, key.type);
            } catch (IllegalArgumentException refusedStreamName) {
                current = 0;
            }
            return switch (random.nextInt(8)) {
                case 0, 1 -> ExpectedVersion.ANY;
                case 2 -> ExpectedVersion.NO_STREAM;
                case 3 -> ExpectedVersion.STREAM_EXISTS;
                case 4 -> ExpectedVersion.exactly(current + 1);
                case 5 -> ExpectedVersion.exactly(Math.max(0, current - 1));
                default -> ExpectedVersion.exactly(current);
            };
        }

        private List<NewEvent> freshEvents(int count) {
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                events.add(freshEvent());
            }
            return events;
        }

        private NewEvent freshEvent() {
            DomainEvent payload;
            if (random.nextInt(4) == 0) {
                payload = new Remark(text());
            } else {
                Map<String, String> attributes = new LinkedHashMap<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    attributes.put(text(), text());
                }
                payload = new Sample(text(), pick(NUMBERS), pick(AMOUNTS), pick(COUNTS), pick(TIMES),
                        random.nextBoolean() ? List.of() : List.of(text(), text()), attributes);
            }
            EventMetadata metadata = EventMetadata.EMPTY;
            if (random.nextInt(3) == 0) {
                metadata = metadata.withTenantId(pick(tenants()));
            }
            if (random.nextInt(3) == 0) {
                metadata = metadata.withActorId(new UUID(random.nextLong(), random.nextLong()))
                        .withCorrelationId(new UUID(random.nextLong(), random.nextLong()));
            }
            if (random.nextInt(3) == 0) {
                String key = text();
                metadata = metadata.withExtra(key.isBlank() ? "k" : key, text());
            }
            Instant occurredAt = random.nextInt(15) == 0
                    ? pick(REFUSED_TIMES) : nudged(pick(TIMES));
            return new NewEvent(payload, new UUID(random.nextLong(), random.nextLong()), occurredAt, metadata);
        }

        private StreamKey randomStream() {
            return new StreamKey(pick(aggregateIds), random.nextInt(3) == 0 ? pick(aggregateTypes()) : "Item");
        }

        private List<String> aggregateTypes() {
            return AGGREGATE_TYPES_AND_REFUSED;
        }

        private List<String> tenants() {
            return TENANTS_AND_REFUSED;
        }

        private String text() {
            return random.nextInt(20) == 0 ? pick(LONG_TEXTS) : pick(TEXTS);
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        /** Runs one operation on both stores and fails unless the outcomes are equal; returns the outcome. */
        private Object compare(Supplier<String> description, Function<Side, Object> operation) {
            remember(description);
            Object expected = reference.outcome(operation);
            Object actual = candidate.outcome(operation);
            if (!Objects.equals(actual, expected)) {
                throw new AssertionError("The store under test and the in-memory reference store disagree"
                        + " (seed " + seed + ", operation " + this.operation + " of " + OPERATIONS + "):\n  "
                        + clip(description.get()) + "\n" + difference(actual, expected)
                        + "\n  operations before it, latest last:\n    "
                        + String.join("\n    ", recent.stream().map(Supplier::get).toList())
                        + "\n  Replay it alone by setting DifferentialContract.SEEDS to {" + seed + "}.");
            }
            return expected;
        }

        /** Keeps the last few operations, described only if a failure needs them. */
        private void remember(Supplier<String> description) {
            if (recent.size() == 8) {
                recent.removeFirst();
            }
            int number = operation;
            recent.addLast(() -> "#" + number + " " + clip(description.get()));
        }

        /** The first differing element of two lists (of events), or both values. */
        private static String difference(Object actual, Object expected) {
            if (actual instanceof List<?> a && expected instanceof List<?> e) {
                for (int i = 0; i < Math.min(a.size(), e.size()); i++) {
                    if (!Objects.equals(a.get(i), e.get(i))) {
                        return "  first difference at element " + i + " of " + a.size() + " (reference: " + e.size() + ")"
                                + difference(a.get(i), e.get(i));
                    }
                }
                if (a.size() != e.size()) {
                    return "  " + a.size() + " element(s), reference " + e.size() + "; first extra: "
                            + clip(String.valueOf(a.size() > e.size() ? a.get(e.size()) : e.get(a.size())));
                }
            }
            return "\n  store under test: " + clip(String.valueOf(actual)) + "\n  reference:        " + clip(String.valueOf(expected));
        }

        private static String describe(List<NewEvent> events) {
            return events.stream().map(e -> e.eventId() + "@" + e.occurredAt() + " " + e.metadata() + " " + e.event())
                    .toList().toString();
        }

        /** Shortens long runs (a 5000-char string prints as {@code x*5000}) and then long text. */
        private static String clip(String text) {
            java.util.regex.Matcher runs = java.util.regex.Pattern.compile("(.{1,2}?)\\1{15,}").matcher(text);
            StringBuilder shorter = new StringBuilder();
            while (runs.find()) {
                runs.appendReplacement(shorter, java.util.regex.Matcher.quoteReplacement(
                        runs.group(1) + "*" + runs.group().length() / runs.group(1).length()));
            }
            runs.appendTail(shorter);
            String s = visible(shorter.toString());
            return s.length() <= 2_000 ? s : s.substring(0, 2_000) + "... (" + s.length() + " chars)";
        }

        /** Control characters and lone surrogates as {@code \\uXXXX}, so a report shows what differs. */
        private static String visible(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (pair) {
                    out.append(c).append(text.charAt(++i));
                } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04X", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }

    /** One store and the global positions it has assigned, in log order. */
    private static final class Side {
        final EventStore store;
        final List<Long> positions = new ArrayList<>();
        final Map<Long, Integer> ranks = new HashMap<>();

        Side(EventStore store) {
            this.store = store;
        }

        Object outcome(Function<Side, Object> operation) {
            try {
                return operation.apply(this);
            } catch (RuntimeException | Error e) {
                if (e instanceof AssertionError a) {
                    throw a;
                }
                return new Thrown(e.getClass().getName(), e.getMessage());
            }
        }

        /** Learns the positions of events appended since the last call. */
        void catchUp() {
            long last = positions.isEmpty() ? 0 : positions.get(positions.size() - 1);
            try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().fromPosition(last).build())) {
                events.forEach(e -> {
                    ranks.put(e.globalPosition(), positions.size() + 1);
                    positions.add(e.globalPosition());
                });
            }
        }

        /** 0 for position 0, the 1-based rank of a known position, or -1 for a position no event has. */
        int rank(long position) {
            return position == 0 ? 0 : ranks.getOrDefault(position, -1);
        }

        /** The position standing for a rank: 0 before the first event, one past the last event after it. */
        long positionOfRank(int rank) {
            if (rank == 0) {
                return 0;
            }
            if (rank <= positions.size()) {
                return positions.get(rank - 1);
            }
            return positions.isEmpty() ? 1 : positions.get(positions.size() - 1) + 1;
        }

        List<Seen> seen(List<StoredEvent> events) {
            return events.stream().map(e -> new Seen(e.eventId(), e.eventType(), e.aggregateId(), e.aggregateType(),
                    e.version(), rank(e.globalPosition()), e.occurredAt(), e.metadata(), e.event())).toList();
        }
    }

    private record StreamKey(UUID id, String type) {
        @Override
        public String toString() {
            return type + "/" + id;
        }
    }

    private record PastAppend(StreamKey key, List<NewEvent> events, ExpectedVersion expected) {
    }

    /** An append's result with its position as a rank. */
    private record Appended(long newVersion, int rank, List<UUID> skippedEventIds) {
    }

    /** An event as read, with its position as a rank and without the store's own recording time. */
    private record Seen(UUID eventId, String eventType, UUID aggregateId, String aggregateType, long version, int rank,
                        Instant occurredAt, EventMetadata metadata, DomainEvent event) {
    }

    /** An operation that threw; two outcomes agree when the exception classes do, whatever the messages. */
    private record Thrown(String exceptionClass, String message) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Thrown t && t.exceptionClass.equals(exceptionClass);
        }

        @Override
        public int hashCode() {
            return exceptionClass.hashCode();
        }
    }
}
