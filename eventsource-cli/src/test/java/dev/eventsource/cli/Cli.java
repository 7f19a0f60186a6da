package dev.eventsource.cli;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStores;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** Runs the real command in-process with captured output, and writes test stores through the library. */
final class Cli {

    /** What a run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    record ItemAdded(String name, BigDecimal price) implements DomainEvent {
    }

    record ItemRemoved(String name) implements DomainEvent {
    }

    record CartCheckedOut(int items) implements DomainEvent {
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        return run(out, err, args);
    }

    /** Runs with the given writers, so another thread can watch the output while it runs. */
    static Result run(StringWriter out, StringWriter err, String... args) {
        int code = EventsourceCli.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static String sqliteUrl(Path dir, String name) {
        return "sqlite:" + dir.resolve(name);
    }

    /** A store with the event classes registered, as the application that wrote it would have. */
    static EventStore open(String url) {
        return EventStores.open(url, new EventRegistry().registerAll(ItemAdded.class, ItemRemoved.class, CartCheckedOut.class));
    }

    /**
     * Every event of a store in global order, read with the event classes; positions are left out,
     * since a store that imported or copied events numbers them itself.
     */
    static List<StoredEvent> events(String url) {
        try (EventStore store = open(url); Stream<StoredEvent> events = store.readAll()) {
            return events.map(e -> new StoredEvent(e.eventId(), e.eventType(), e.aggregateId(), e.aggregateType(),
                    e.version(), 0, e.occurredAt(), e.recordedAt(), e.metadata(), e.event())).toList();
        }
    }

    static void append(String url, UUID id, String type, DomainEvent... events) {
        try (EventStore store = open(url)) {
            store.appendEvents(id, type, List.of(events), ExpectedVersion.ANY);
        }
    }

    static void appendWithMetadata(String url, UUID id, String type, EventMetadata metadata, DomainEvent event) {
        try (EventStore store = open(url)) {
            store.append(id, type, List.of(NewEvent.of(event).withMetadata(metadata)), ExpectedVersion.ANY);
        }
    }

    /** Two carts (3 and 1 events) and an inventory stream (1 event): 5 events in 3 streams, positions 1 to 5. */
    static Fixture shop(Path dir) {
        String url = sqliteUrl(dir, "shop.db");
        UUID cart1 = UUID.randomUUID();
        UUID cart2 = UUID.randomUUID();
        UUID stock = UUID.randomUUID();
        append(url, cart1, "Cart", new ItemAdded("book", new BigDecimal("12.50")), new ItemAdded("pen", new BigDecimal("1.20")));
        append(url, cart2, "Cart", new ItemAdded("lamp", new BigDecimal("30.00")));
        append(url, stock, "Inventory", new ItemRemoved("lamp"));
        append(url, cart1, "Cart", new CartCheckedOut(2));
        return new Fixture(url, dir.resolve("shop.db"), cart1, cart2, stock);
    }

    record Fixture(String url, Path file, UUID cart1, UUID cart2, UUID stock) {
    }
}
