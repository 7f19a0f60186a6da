import dev.eventsource.store.RecordedEvent;
import dev.eventsource.wire.EventDocument;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** CPU ns per EventDocument.encodeBytes on the current thread, best of rounds (a loaded machine's noise is mostly upward). */
public class EncodeBench {
    public static void main(String[] args) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<RecordedEvent> rows = new ArrayList<>();
        Instant t = Instant.parse("2026-12-03T14:00:00.123456Z");
        for (int i = 0; i < 10_000; i++) {
            String meta = "{\"correlationId\":\"" + UUID.randomUUID() + "\",\"causationId\":\"" + UUID.randomUUID() + "\",\"extras\":{\"source\":\"bench\"}}";
            String payload = "{\"orderId\":\"" + UUID.randomUUID() + "\",\"sku\":\"SKU-" + i + "\",\"quantity\":" + (i % 7 + 1)
                    + ",\"price\":" + (i % 1000) + ".50,\"note\":\"an item added to the order, with a short note of some length\"}";
            rows.add(new RecordedEvent(UUID.randomUUID(), "ItemAdded", 1, UUID.randomUUID(), "Order", i + 1, i + 1,
                    t.plusMillis(i), t.plusMillis(i + 1), null, meta, payload));
        }
        long bytes = 0;
        for (RecordedEvent r : rows) bytes += EventDocument.encodeBytes(r).length;
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 60; round++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            for (RecordedEvent r : rows) sink += EventDocument.encodeBytes(r).length;
            double ns = (cpu.getCurrentThreadCpuTime() - c0) / (double) rows.size();
            if (round >= 10) best = Math.min(best, ns);
        }
        System.out.printf("%s: %d bytes a document, best CPU %.0f ns a document (sink %d)%n", args.length > 0 ? args[0] : "", bytes / rows.size(), best, sink);
    }
}
