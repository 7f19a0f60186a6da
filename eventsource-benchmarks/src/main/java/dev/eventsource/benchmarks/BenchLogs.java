package dev.eventsource.benchmarks;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.postgresql.PostgreSQLEventStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/** What the read benchmarks share (the log they fill, the metadata its events carry, the library's read loop), and the PostgreSQL ones their schema's removal. */
final class BenchLogs {

    /**
     * The metadata of the events in a benchmark's log. {@code none} is the empty object; {@code traced}
     * is what an append under a span stores (an actor, a correlation id and a W3C {@code traceparent}),
     * shared by the events of one append as it is in an application; {@code distinct} gives every
     * event its own, the worst case for reading.
     */
    static final String[] METADATA = {"none", "traced", "distinct"};

    private BenchLogs() {
    }

    /** Appends {@code events} events through the store, {@code perStream} per append, each to a new stream. */
    static void fill(EventStore store, int events, int perStream, String metadata) {
        Random random = new Random(42);
        for (int stream = 0; stream < events / perStream; stream++) {
            UUID order = UUID.randomUUID();
            EventMetadata shared = metadata(metadata, random);
            List<NewEvent> batch = new ArrayList<>(perStream);
            for (int i = 0; i < perStream; i++) {
                DomainEvent event = BenchEvents.event(order, i);
                batch.add(NewEvent.of(event, metadata.equals("distinct") ? metadata(metadata, random) : shared));
            }
            store.append(order, BenchEvents.TYPE, batch, ExpectedVersion.NO_STREAM);
        }
    }

    /** Metadata of the given kind ({@link #METADATA}); a new trace and span id each call. */
    static EventMetadata metadata(String kind, Random random) {
        return switch (kind) {
            case "none" -> EventMetadata.EMPTY;
            case "traced", "distinct" -> EventMetadata.EMPTY.withActorId(new UUID(random.nextLong(), random.nextLong()))
                    .withCorrelationId(new UUID(random.nextLong(), random.nextLong()))
                    .withTraceContext(String.format("00-%016x%016x-%016x-01", random.nextLong() | 1, random.nextLong(),
                            random.nextLong() | 1), null);
            default -> throw new IllegalArgumentException("metadata must be one of none, traced, distinct; got " + kind);
        };
    }

    /**
     * The same metadata as a PostgreSQL expression over {@code g}, the row number of a
     * {@code generate_series}, for logs seeded in SQL: per 100 rows for {@code traced}, per row for
     * {@code distinct}.
     */
    static String metadataSql(String kind) {
        String key = switch (kind) {
            case "none" -> null;
            case "traced" -> "(g / 100)::text";
            case "distinct" -> "g::text";
            default -> throw new IllegalArgumentException("metadata must be one of none, traced, distinct; got " + kind);
        };
        if (key == null) {
            return "'{}'::jsonb";
        }
        return "jsonb_build_object('actorId', md5('a' || " + key + ")::uuid, 'correlationId', md5('c' || " + key + ")::uuid,"
                + " 'extras', jsonb_build_object('traceparent', '00-' || md5('t' || " + key + ") || '-'"
                + " || left(md5('s' || " + key + "), 16) || '-01'))";
    }

    /** The library's side of every read benchmark: {@code readAll}, each payload consumed; returns the count. */
    static long readAll(EventStore store, ReadOptions options, Blackhole bh) {
        long count = 0;
        try (Stream<StoredEvent> all = store.readAll(options)) {
            Iterator<StoredEvent> it = all.iterator();
            while (it.hasNext()) {
                StoredEvent event = it.next();
                bh.consume(event.event());
                bh.consume(event.metadata());
                count++;
            }
        }
        return count;
    }

    /** Throws unless {@code count} events were read; returns the count. */
    static long check(long count, int expected) {
        if (count != expected) {
            throw new IllegalStateException("read " + count + " events, expected " + expected);
        }
        return count;
    }

    /** Drops a benchmark's schema on the store's server. */
    static void dropSchema(PostgreSQLEventStore store, String schema) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement sql = c.createStatement()) {
            sql.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
