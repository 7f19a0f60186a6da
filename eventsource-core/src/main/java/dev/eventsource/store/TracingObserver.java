package dev.eventsource.store;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * OpenTelemetry spans for a store's work, following the semantic conventions for database client
 * spans: span kind {@code CLIENT}, name {@code "<db.operation.name> <db.collection.name>"}, and the
 * attributes {@code db.system.name} (and its older name {@code db.system}, with the same value, for
 * back ends that still read it), {@code db.operation.name}, {@code db.collection.name},
 * {@code db.namespace} when the store knows one, {@code error.type} and status {@code ERROR} when
 * the operation throws.
 *
 * <p>Operations: {@code append} (with {@code eventsource.aggregate_type},
 * {@code eventsource.aggregate_id} and {@code eventsource.event_count}), {@code read_stream} (with
 * the aggregate attributes and {@code db.response.returned_rows}), and {@code read_all}, one span
 * per page of the global log that returned rows or failed (with {@code eventsource.page_size} and
 * {@code db.response.returned_rows}; see {@link #readingPage}). {@link #operation} starts a span for any other operation of
 * the store's database (snapshots, checkpoints). The span is current while the store works, so
 * driver instrumentation nests under it. The operations and attributes are listed in
 * {@code docs/operations.md}.
 *
 * <p>The stores build one from their builder's {@code openTelemetry(...)} option (default
 * {@link io.opentelemetry.api.GlobalOpenTelemetry}); without an SDK installed the spans cost next
 * to nothing (measured in {@code docs/benchmarks.md}).
 *
 * <p>Refuses a {@code db.system.name} that is not a lower-case identifier
 * ({@code [a-z][a-z0-9_.]*}): the value is an enumeration of the conventions, not a description.
 */
public final class TracingObserver implements StoreObserver {

    /** The instrumentation scope name of the spans and metrics. */
    public static final String INSTRUMENTATION = "dev.eventsource";

    /** {@code db.system.name} of the SQLite store: the conventions' well-known value. */
    public static final String SQLITE = "sqlite";
    /** {@code db.system.name} of the PostgreSQL store: the conventions' well-known value. */
    public static final String POSTGRESQL = "postgresql";
    /**
     * {@code db.system.name} of the in-memory store. The conventions list no value for a store in
     * the application's own heap ({@code other_sql} would claim a SQL database), so this is a
     * custom value in the library's namespace, as the conventions allow when none applies.
     */
    public static final String IN_MEMORY = "eventsource.in_memory";

    /** The stable attribute naming the database system. */
    public static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    /** The attribute's name before the database conventions became stable; same value. */
    public static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    public static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    public static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
    public static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    public static final AttributeKey<Long> DB_RETURNED_ROWS = AttributeKey.longKey("db.response.returned_rows");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<String> AGGREGATE_TYPE = AttributeKey.stringKey("eventsource.aggregate_type");
    public static final AttributeKey<String> AGGREGATE_ID = AttributeKey.stringKey("eventsource.aggregate_id");
    public static final AttributeKey<Long> EVENT_COUNT = AttributeKey.longKey("eventsource.event_count");
    public static final AttributeKey<Long> PAGE_SIZE = AttributeKey.longKey("eventsource.page_size");

    private static final Pattern SYSTEM_NAME = Pattern.compile("[a-z][a-z0-9_.]*");

    private final Tracer tracer;
    private final String system;
    private final String namespace;
    private final String eventsTable;
    private final String appendName;
    private final String readStreamName;
    private final String readAllName;

    /**
     * Spans for a store whose events are in a collection named {@code events}, in no named namespace.
     *
     * @param openTelemetry where spans go
     * @param system        the value of {@code db.system.name}, e.g. {@link #SQLITE}
     * @throws IllegalArgumentException if {@code system} is not a lower-case identifier
     */
    public TracingObserver(OpenTelemetry openTelemetry, String system) {
        this(openTelemetry, system, null, "events");
    }

    /**
     * @param openTelemetry where spans go
     * @param system        the value of {@code db.system.name}, e.g. {@link #SQLITE}
     * @param namespace     the value of {@code db.namespace} (e.g. the SQLite file), or {@code null} to leave it out
     * @param eventsTable   the value of {@code db.collection.name} for the event operations, as the store's SQL names it
     * @throws IllegalArgumentException if {@code system} is not a lower-case identifier or {@code eventsTable} is blank
     */
    public TracingObserver(OpenTelemetry openTelemetry, String system, String namespace, String eventsTable) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION);
        this.system = requireSystemName(system);
        if (eventsTable == null || eventsTable.isBlank()) {
            throw new IllegalArgumentException("eventsTable must be the non-blank name of the events collection");
        }
        this.namespace = namespace;
        this.eventsTable = eventsTable;
        this.appendName = "append " + eventsTable;
        this.readStreamName = "read_stream " + eventsTable;
        this.readAllName = "read_all " + eventsTable;
    }

    /**
     * Checks a {@code db.system.name} value.
     *
     * @throws IllegalArgumentException naming the value and the accepted form
     */
    public static String requireSystemName(String system) {
        if (system == null || !SYSTEM_NAME.matcher(system).matches()) {
            throw new IllegalArgumentException("db.system.name must be a lower-case identifier such as \"sqlite\" or"
                    + " \"postgresql\" (the OpenTelemetry conventions' value, not a description of the store); got "
                    + (system == null ? "null" : "\"" + system + "\""));
        }
        return system;
    }

    /** The value of {@code db.system.name}. */
    public String system() {
        return system;
    }

    @Override
    public Observation appending(UUID aggregateId, String aggregateType, int events) {
        return start(client(appendName, "append", eventsTable)
                .setAttribute(AGGREGATE_TYPE, aggregateType)
                .setAttribute(AGGREGATE_ID, aggregateId.toString())
                .setAttribute(EVENT_COUNT, (long) events), false);
    }

    @Override
    public Observation readingStream(UUID aggregateId, String aggregateType) {
        return start(client(readStreamName, "read_stream", eventsTable)
                .setAttribute(AGGREGATE_TYPE, aggregateType)
                .setAttribute(AGGREGATE_ID, aggregateId.toString()), true);
    }

    /**
     * A page's span is recorded after the page was read, with the read's start time, and only if
     * the page held rows or the read failed: a live subscription polls an empty log every interval,
     * and a span per idle poll would bury the traces that matter. So driver spans of a page read do
     * not nest under it.
     */
    @Override
    public Observation readingPage(ReadOptions options, int max) {
        Instant start = Instant.now();
        return new Observation() {
            @Override
            public void succeeded(int events) {
                if (events > 0) {
                    Span span = page(start, max).startSpan();
                    span.setAttribute(DB_RETURNED_ROWS, (long) events);
                    span.end();
                }
            }

            @Override
            public void failed(Throwable error) {
                Span span = page(start, max).startSpan();
                fail(span, error);
                span.end();
            }
        };
    }

    private SpanBuilder page(Instant start, int max) {
        return client(readAllName, "read_all", eventsTable).setAttribute(PAGE_SIZE, (long) max).setStartTimestamp(start);
    }

    /**
     * A span for another operation on the store's database, e.g. {@code operation("upsert",
     * "subscription_checkpoints")}; {@code succeeded(n)} records {@code n} as
     * {@code db.response.returned_rows} when {@code n >= 0}.
     *
     * @throws IllegalArgumentException if either name is blank
     */
    public Observation operation(String operation, String collection) {
        if (operation == null || operation.isBlank() || collection == null || collection.isBlank()) {
            throw new IllegalArgumentException("operation and collection must be non-blank; got " + operation + ", " + collection);
        }
        return start(client(operation + " " + collection, operation, collection), true);
    }

    private SpanBuilder client(String name, String operation, String collection) {
        SpanBuilder builder = tracer.spanBuilder(name)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(DB_SYSTEM_NAME, system)
                .setAttribute(DB_SYSTEM, system)
                .setAttribute(DB_OPERATION_NAME, operation)
                .setAttribute(DB_COLLECTION_NAME, collection);
        if (namespace != null) {
            builder.setAttribute(DB_NAMESPACE, namespace);
        }
        return builder;
    }

    private static Observation start(SpanBuilder builder, boolean rows) {
        Span span = builder.startSpan();
        Scope scope = span.makeCurrent();
        return new Observation() {
            @Override
            public void succeeded(int events) {
                if (rows && events >= 0) {
                    span.setAttribute(DB_RETURNED_ROWS, (long) events);
                }
                scope.close();
                span.end();
            }

            @Override
            public void failed(Throwable error) {
                fail(span, error);
                scope.close();
                span.end();
            }
        };
    }

    private static void fail(Span span, Throwable error) {
        span.setAttribute(ERROR_TYPE, error.getClass().getName());
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
    }

    @Override
    public String toString() {
        return "TracingObserver(" + system + ")";
    }
}
