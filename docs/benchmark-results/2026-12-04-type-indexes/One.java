import dev.eventsource.event.*; import dev.eventsource.postgresql.PostgreSQLEventStore; import dev.eventsource.store.ExpectedVersion;
import java.util.*;
/** One thread appending one event to a new stream, for 15 s after 10 s of warm-up: the JMH library_1 workload outside JMH, to profile. */
public class One {
  public record ItemAdded(String sku, int qty, String note, String customer) implements DomainEvent {}
  public static void main(String[] a) throws Exception {
    String url = System.getenv("EVENTSOURCE_TEST_POSTGRES_URL");
    String schema = "one_" + System.nanoTime();
    try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) { s.execute("CREATE SCHEMA " + schema); }
    try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(url).eventRegistry(new EventRegistry().register(ItemAdded.class)).schema(schema).maxPoolSize(8).tracing(false).build()) {
      store.initialize();
      var events = List.of(new ItemAdded("SKU-000001", 2, "x".repeat(120), UUID.randomUUID().toString()));
      for (int phase = 0; phase < 2; phase++) {
        long end = System.nanoTime() + (phase == 0 ? 10 : 15) * 1_000_000_000L; long n = 0; long t0 = System.nanoTime();
        while (System.nanoTime() < end) { store.appendEvents(UUID.randomUUID(), "Order", events, ExpectedVersion.NO_STREAM); n++; }
        System.out.printf("%s: %.0f appends/s%n", phase == 0 ? "warm-up" : "measured", n / ((System.nanoTime() - t0) / 1e9));
      }
    }
  }
}
