package dev.eventsource.benchmarks;

import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.spi.EventMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The events, aggregate and row helpers every benchmark shares; a realistic ~200-byte payload. */
final class BenchEvents {

    record ItemAdded(UUID orderId, String sku, int quantity, BigDecimal unitPrice, String note, Instant at)
            implements DomainEvent {}

    record OrderState(int lines, long quantity) {}

    static final class Order extends AggregateRoot<OrderState> {
        Order(UUID id) {
            super(id);
        }

        @Override
        protected OrderState initialState() {
            return new OrderState(0, 0);
        }

        @Override
        protected OrderState apply(OrderState s, DomainEvent e) {
            ItemAdded added = (ItemAdded) e;
            return new OrderState(s.lines() + 1, s.quantity() + added.quantity());
        }

        void add(ItemAdded e) {
            applyEvent(e);
        }
    }

    static final String TYPE = "Order";

    static ItemAdded event(UUID orderId, int i) {
        return new ItemAdded(orderId, "SKU-" + (10_000 + i % 5_000), 1 + i % 7, new BigDecimal("19.99"),
                "gift wrap, leave at the door, thank you", Instant.parse("2026-11-26T10:15:30.123456Z"));
    }

    /** The JSON the library writes for {@link #event}, computed once so raw JDBC does not pay for Jackson. */
    static String json(UUID orderId, int i) {
        return new EventMapper(new dev.eventsource.event.EventRegistry()).writeJson(event(orderId, i));
    }

    static final String EMPTY_METADATA = new EventMapper(new dev.eventsource.event.EventRegistry())
            .metadataJson(EventMetadata.EMPTY);

    private BenchEvents() {
    }
}
