package dev.eventsource.store;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * OpenTelemetry metrics for a store's appends and global-log reads, through the metrics API (no-op
 * without an SDK). Every instrument carries {@code db.system.name}; the append instruments also
 * {@code eventsource.aggregate_type} (one value per aggregate type, a small set) and
 * {@code eventsource.outcome} ({@code ok}, {@code conflict} for an {@link OptimisticLockException},
 * {@code error} for anything else). The instruments:
 *
 * <ul>
 *   <li>{@code eventsource.appends} (counter, {@code {append}}): appends completed or failed;</li>
 *   <li>{@code eventsource.events.appended} (counter, {@code {event}}): events in successful appends
 *       (an idempotent retry counts its events again: it cannot tell which were new);</li>
 *   <li>{@code eventsource.append.duration} (histogram, {@code s}): append latency, observer to observer;</li>
 *   <li>{@code eventsource.append.conflicts} (counter, {@code {append}}): optimistic-lock conflicts;</li>
 *   <li>{@code eventsource.read_all.events} (counter, {@code {event}}): rows read from the global log;</li>
 *   <li>{@code eventsource.sqlite.group_commit.size} (histogram, {@code {append}}): appends per SQLite
 *       transaction, recorded through {@link #recordGroupCommit(int)}.</li>
 * </ul>
 *
 * The full table, with the subscription, snapshot and pool instruments, is in {@code docs/operations.md}.
 * Thread-safe.
 */
public final class MetricsObserver implements StoreObserver {

    /** {@code ok}, {@code conflict} or {@code error}. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("eventsource.outcome");

    /** Bucket boundaries for durations in seconds, as the conventions advise for database operations. */
    public static final List<Double> DURATION_BUCKETS = List.of(0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    /** Bounds the cache of attribute sets, should an application use unboundedly many aggregate types. */
    private static final int MAX_ATTRIBUTE_SETS = 1024;

    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.ConcurrentHashMap<String, Attributes>> attributeSets =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final String system;
    private final Attributes base;
    private final LongCounter appends;
    private final LongCounter eventsAppended;
    private final DoubleHistogram appendDuration;
    private final LongCounter conflicts;
    private final LongCounter eventsRead;
    private final LongHistogram groupCommitSize;

    /**
     * @param openTelemetry its meter provider receives the instruments
     * @param system        the value of {@code db.system.name}; see {@link TracingObserver#requireSystemName}
     * @throws IllegalArgumentException if {@code system} is not a lower-case identifier
     */
    public MetricsObserver(OpenTelemetry openTelemetry, String system) {
        Meter meter = Objects.requireNonNull(openTelemetry, "openTelemetry").getMeter(TracingObserver.INSTRUMENTATION);
        this.system = TracingObserver.requireSystemName(system);
        this.base = Attributes.of(TracingObserver.DB_SYSTEM_NAME, system);
        this.appends = meter.counterBuilder("eventsource.appends").setUnit("{append}")
                .setDescription("Appends to event streams, by outcome").build();
        this.eventsAppended = meter.counterBuilder("eventsource.events.appended").setUnit("{event}")
                .setDescription("Events in successful appends").build();
        this.appendDuration = meter.histogramBuilder("eventsource.append.duration").setUnit("s")
                .setDescription("Duration of appends").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
        this.conflicts = meter.counterBuilder("eventsource.append.conflicts").setUnit("{append}")
                .setDescription("Appends refused by the optimistic concurrency check").build();
        this.eventsRead = meter.counterBuilder("eventsource.read_all.events").setUnit("{event}")
                .setDescription("Events read from the global log").build();
        this.groupCommitSize = meter.histogramBuilder("eventsource.sqlite.group_commit.size").ofLongs().setUnit("{append}")
                .setDescription("Appends committed together in one SQLite transaction")
                .setExplicitBucketBoundariesAdvice(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L)).build();
    }

    @Override
    public Observation appending(UUID aggregateId, String aggregateType, int events) {
        long start = System.nanoTime();
        return new Observation() {
            @Override
            public void succeeded(int count) {
                Attributes attributes = attributes(aggregateType, "ok");
                appends.add(1, attributes);
                eventsAppended.add(count, attributes);
                appendDuration.record((System.nanoTime() - start) / 1e9, attributes);
            }

            @Override
            public void failed(Throwable error) {
                boolean conflict = error instanceof OptimisticLockException;
                Attributes attributes = attributes(aggregateType, conflict ? "conflict" : "error");
                appends.add(1, attributes);
                appendDuration.record((System.nanoTime() - start) / 1e9, attributes);
                if (conflict) {
                    conflicts.add(1, attributes(aggregateType, null));
                }
            }
        };
    }

    @Override
    public Observation readingPage(ReadOptions options, int max) {
        return new Observation() {
            @Override
            public void succeeded(int events) {
                eventsRead.add(events, base);
            }

            @Override
            public void failed(Throwable error) {
            }
        };
    }

    /**
     * Records one SQLite transaction that committed {@code appends} appends together.
     *
     * @throws IllegalArgumentException if {@code appends} is below 1
     */
    public void recordGroupCommit(int appends) {
        if (appends < 1) {
            throw new IllegalArgumentException("a committed group holds at least one append; got " + appends);
        }
        groupCommitSize.record(appends, base);
    }

    private Attributes attributes(String aggregateType, String outcome) {
        // Built once per type and outcome: appends must not allocate attribute sets when no SDK listens.
        var sets = attributeSets.computeIfAbsent(outcome == null ? "" : outcome,
                o -> new java.util.concurrent.ConcurrentHashMap<>());
        Attributes cached = sets.get(aggregateType);
        if (cached != null) {
            return cached;
        }
        var builder = Attributes.builder().put(TracingObserver.DB_SYSTEM_NAME, system)
                .put(TracingObserver.AGGREGATE_TYPE, aggregateType);
        if (outcome != null) {
            builder.put(OUTCOME, outcome);
        }
        Attributes built = builder.build();
        if (sets.size() < MAX_ATTRIBUTE_SETS) {
            sets.putIfAbsent(aggregateType, built);
        }
        return built;
    }

    @Override
    public String toString() {
        return "MetricsObserver(" + system + ")";
    }
}
