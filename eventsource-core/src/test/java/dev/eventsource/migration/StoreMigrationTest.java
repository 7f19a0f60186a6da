package dev.eventsource.migration;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.ImportConflictException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreMigrationTest {

    record Counted(int n) implements DomainEvent {}

    private final EventRegistry registry = new EventRegistry().register(Counted.class);

    @Test
    void copies_every_event_with_its_identity_times_metadata_and_order() {
        try (var source = filledStore(7, 30); var target = new InMemoryEventStore(registry)) {
            MigrationReport report = StoreMigration.copy(source, target);

            assertThat(report.events()).isEqualTo(210);
            assertThat(report.copied()).isEqualTo(210);
            assertThat(report.streams()).isEqualTo(7);
            assertThat(all(target)).isEqualTo(all(source));
        }
    }

    @Test
    void an_interrupted_copy_resumes_without_duplicating() {
        try (var source = filledStore(5, 40); var target = new InMemoryEventStore(registry)) {
            List<MigrationProgress> seen = new ArrayList<>();
            assertThatThrownBy(() -> StoreMigration.copy(source, target, 50, p -> {
                seen.add(p);
                if (seen.size() == 2) {
                    throw new IllegalStateException("interrupted");
                }
            })).hasMessage("interrupted");
            assertThat(target.globalPosition()).isEqualTo(100);

            MigrationReport resumed = StoreMigration.copy(source, target, 50, p -> { });

            assertThat(resumed.skipped()).isEqualTo(100);
            assertThat(resumed.copied()).isEqualTo(100);
            assertThat(all(target)).isEqualTo(all(source));
        }
    }

    @Test
    void reports_progress_after_each_batch_up_to_the_end() {
        try (var source = filledStore(2, 50); var target = new InMemoryEventStore(registry)) {
            List<MigrationProgress> seen = new ArrayList<>();

            StoreMigration.copy(source, target, 30, seen::add);

            assertThat(seen).hasSize(4);
            assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
            assertThat(seen).extracting(MigrationProgress::read).containsExactly(30L, 60L, 90L, 100L);
        }
    }

    @Test
    void refuses_a_target_that_holds_other_events_in_the_same_stream_and_writes_nothing_of_the_batch() {
        try (var source = filledStore(1, 3); var target = new InMemoryEventStore(registry)) {
            StoredEvent first = source.readAll().findFirst().orElseThrow();
            target.appendEvents(first.aggregateId(), first.aggregateType(), List.of(new Counted(99)), ExpectedVersion.ANY);

            assertThatThrownBy(() -> StoreMigration.copy(source, target))
                    .isInstanceOf(ImportConflictException.class)
                    .hasMessageContaining("next importable version is 2");
            assertThat(target.globalPosition()).isEqualTo(1);
        }
    }

    private InMemoryEventStore filledStore(int streams, int eventsPerStream) {
        InMemoryEventStore store = new InMemoryEventStore(registry);
        List<UUID> ids = Stream.generate(UUID::randomUUID).limit(streams).toList();
        for (int i = 0; i < eventsPerStream; i++) {
            for (int s = 0; s < streams; s++) {
                NewEvent e = new NewEvent(new Counted(i), UUID.randomUUID(), Instant.parse("2026-01-01T00:00:00.123456Z").plusSeconds(i),
                        new EventMetadata("tenant-" + s, UUID.randomUUID(), null, null, java.util.Map.of("i", "" + i)));
                store.append(ids.get(s), s % 2 == 0 ? "Even" : "Odd", List.of(e), ExpectedVersion.exactly(i));
            }
        }
        return store;
    }

    private static List<StoredEvent> all(InMemoryEventStore store) {
        try (Stream<StoredEvent> events = store.readAll(ReadOptions.builder().pageSize(64).build())) {
            return events.toList();
        }
    }
}
