// The denominators of the "CLI at 200k events" ratios, measured in the same run as the commands:
// the store's own batched append rate (200 appends of 1,000 events of ~400 bytes, each to a new
// stream, into a new SQLite file with the settings the CLI opens a store with) and two read rates of
// every stored row of an existing file: readAll with decoding (StoredEvent with its payload
// deserialized into a record of the event's type, the application's read and the denominator of the
// export and verify targets) and the undecoded rows (RecordedEvent, as export and verify read them,
// the fastest read the store has). Run with the CLI's jar on the class path:
//   java -cp eventsource.jar StoreRates.java DIR EXISTING.db
// and the first readAll with decoding in a new JVM (the same conditions as a command's):
//   java -XX:+UseSerialGC -cp eventsource.jar StoreRates.java --first EXISTING.db
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.EventType;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

public class StoreRates {

    public record ItemAdded(String sku, int qty, String note, String customer) implements DomainEvent {
    }

    // The five event types of gen-events.py (all with the same payload shape), for the decoded read.
    @EventType("OrderPlaced")
    public record OrderPlaced(String sku, int qty, String note, String customer) implements DomainEvent {
    }

    @EventType("ItemRemoved")
    public record ItemRemoved(String sku, int qty, String note, String customer) implements DomainEvent {
    }

    @EventType("OrderShipped")
    public record OrderShipped(String sku, int qty, String note, String customer) implements DomainEvent {
    }

    @EventType("PaymentTaken")
    public record PaymentTaken(String sku, int qty, String note, String customer) implements DomainEvent {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--first")) {
            firstRead(args[1]);
            return;
        }
        Path dir = Path.of(args[0]);
        Path appendFile = dir.resolve("rates-append.db");
        SQLiteEventStore.deleteDatabase(appendFile);
        EventRegistry registry = new EventRegistry().register(ItemAdded.class);
        int batches = 200;
        int batch = 1_000;
        try (SQLiteEventStore store = SQLiteEventStore.builder(appendFile.toString()).eventRegistry(registry).build()) {
            store.initialize();
            // A warm-up of 20 batches into its own streams, not timed (the CLI's JVM warms up over its first batches too).
            for (int b = 0; b < 20; b++) {
                store.appendEvents(UUID.randomUUID(), "Warmup", events(batch, b), ExpectedVersion.NO_STREAM);
            }
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                store.appendEvents(UUID.randomUUID(), "Order", events(batch, b), ExpectedVersion.NO_STREAM);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("store append, batch 1,000: %,d events in %.2f s = %,.0f events/s%n",
                    batches * batch, seconds, batches * batch / seconds);
        }
        SQLiteEventStore.deleteDatabase(appendFile);
        EventRegistry decoding = new EventRegistry().registerAll(OrderPlaced.class, ItemAdded.class, ItemRemoved.class,
                OrderShipped.class, PaymentTaken.class);
        try (SQLiteEventStore store = SQLiteEventStore.builder(args[1]).eventRegistry(decoding).build()) {
            store.initialize();
            // Two rounds warm up; the median of the next five is the rate (single rounds moved 2x between runs).
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round < 7; round++) {
                long start = System.nanoTime();
                long[] count = {0};
                try (Stream<StoredEvent> events = store.readAll(ReadOptions.ALL)) {
                    events.forEach(event -> {
                        if (event.event() != null) {
                            count[0]++;
                        }
                    });
                }
                if (round >= 2) {
                    rates.add(count[0] / ((System.nanoTime() - start) / 1e9));
                }
            }
            System.out.printf("store readAll (decoded): median of 5 rounds after 2 warm-up rounds = %,.0f events/s %s%n",
                    median(rates), rounded(rates));
            rates.clear();
            for (int round = 0; round < 7; round++) {
                long start = System.nanoTime();
                long[] count = {0};
                try (Stream<RecordedEvent> rows = store.readRecorded(ReadOptions.ALL)) {
                    rows.forEach(row -> count[0]++);
                }
                if (round >= 2) {
                    rates.add(count[0] / ((System.nanoTime() - start) / 1e9));
                }
            }
            System.out.printf("store readAll (rows): median of 5 rounds after 2 warm-up rounds = %,.0f events/s %s%n",
                    median(rates), rounded(rates));
        }
    }

    // The first readAll with decoding in a new JVM, as a command reads: classes loaded and code compiled
    // while it reads. Timed from opening the store; the JVM's start is not in it. Run it with the
    // launcher's collector (-XX:+UseSerialGC), as the commands run.
    private static void firstRead(String file) {
        EventRegistry decoding = new EventRegistry().registerAll(OrderPlaced.class, ItemAdded.class, ItemRemoved.class,
                OrderShipped.class, PaymentTaken.class);
        long start = System.nanoTime();
        long count = 0;
        try (SQLiteEventStore store = SQLiteEventStore.builder(file).eventRegistry(decoding).build();
             Stream<StoredEvent> events = store.readAll(ReadOptions.ALL)) {
            for (StoredEvent event : (Iterable<StoredEvent>) events::iterator) {
                if (event.event() != null) {
                    count++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("store readAll (decoded), first read in a new JVM: %,d events in %.2f s = %,.0f events/s%n",
                count, seconds, count / seconds);
    }

    private static double median(List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        java.util.Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> rounded(List<Double> rates) {
        return rates.stream().map(Math::round).toList();
    }

    private static List<ItemAdded> events(int n, int b) {
        List<ItemAdded> events = new ArrayList<>(n);
        String note = "x".repeat(300);
        for (int i = 0; i < n; i++) {
            events.add(new ItemAdded(String.format("SKU-%06d", (b * n + i) % 1_000_000), 1 + i % 8, note,
                    UUID.randomUUID().toString()));
        }
        return events;
    }
}
