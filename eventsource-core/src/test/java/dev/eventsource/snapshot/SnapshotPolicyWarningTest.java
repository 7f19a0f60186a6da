package dev.eventsource.snapshot;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.store.InMemoryEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A repository given a snapshot store but no policy would silently take no snapshots: it says so. */
class SnapshotPolicyWarningTest {

    static final class Counter extends AggregateRoot<Integer> {
        Counter(UUID id) { super(id); }

        @Override protected Integer initialState() { return 0; }

        @Override protected Integer apply(Integer state, DomainEvent event) { return state + 1; }
    }

    private final Logger logger = Logger.getLogger(AggregateRepository.class.getName());
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override public void publish(LogRecord record) { records.add(record); }

        @Override public void flush() { }

        @Override public void close() { }
    };
    private final InMemoryEventStore store = new InMemoryEventStore();

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        store.close();
    }

    private List<String> warnings() {
        synchronized (records) {
            return records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
        }
    }

    @Test
    void a_snapshot_store_without_a_policy_is_warned_about_naming_the_aggregate_type_and_the_fix() {
        AggregateRepository.builder(store, Counter::new, "Counter").snapshots(new InMemorySnapshotStore()).build();

        assertThat(warnings()).singleElement().asString().contains("Counter").contains("no snapshot policy")
                .contains("snapshotPolicy(SnapshotPolicy.everyEvents(n))");
    }

    @Test
    void an_explicit_never_policy_or_a_real_one_is_not_warned_about() {
        AggregateRepository.builder(store, Counter::new, "Counter").snapshots(new InMemorySnapshotStore())
                .snapshotPolicy(SnapshotPolicy.never()).build();
        AggregateRepository.builder(store, Counter::new, "Counter").snapshots(new InMemorySnapshotStore())
                .snapshotPolicy(SnapshotPolicy.everyEvents(10)).build();
        AggregateRepository.builder(store, Counter::new, "Counter").build();

        assertThat(warnings()).isEmpty();
    }
}
