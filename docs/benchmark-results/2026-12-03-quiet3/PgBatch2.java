import dev.eventsource.postgresql.*;
import dev.eventsource.event.*;
import dev.eventsource.store.*;
import java.util.*;
import java.math.BigDecimal;
import java.time.Instant;
public class PgBatch2 {
    public record ItemAdded(UUID orderId, String sku, int quantity, BigDecimal unitPrice, String note, Instant at) implements DomainEvent {}
    public static void main(String[] a) throws Exception {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        String schema = "pgb" + System.nanoTime() % 100000;
        try (var store = PostgreSQLEventStore.builder(a[0]).schema(schema).maxPoolSize(8).tracing(false).build()) {
            store.initialize();
            List<DomainEvent> evs = new ArrayList<>();
            UUID o = UUID.randomUUID();
            for (int i = 0; i < 100; i++) evs.add(new ItemAdded(o, "SKU-" + (10_000 + i % 5_000), 1 + i % 7, new BigDecimal("19.99"), "gift wrap, leave at the door, thank you", Instant.parse("2026-11-26T10:15:30.123456Z")));
            for (int round = 0; round < Integer.parseInt(a.length > 1 ? a[1] : "8"); round++) {
                int n = 300;
                long cpu0 = bean.getCurrentThreadCpuTime(); long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) store.appendEvents(UUID.randomUUID(), "Order", evs, ExpectedVersion.NO_STREAM);
                long wall = System.nanoTime() - t0; long cpu = bean.getCurrentThreadCpuTime() - cpu0;
                System.out.printf("round %d: %.0f us wall (%.0f/s), %.0f us client CPU per batch-100 append%n", round, wall / 1e3 / n, n / (wall / 1e9), cpu / 1e3 / n);
            }
        }
    }
}
