package dev.eventsource.test;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.sqlite.SQLiteEventStore;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import dev.eventsource.store.StoreClosedException;
import dev.eventsource.test.Notes.NoteAggregate;
import dev.eventsource.test.Notes.NoteCreated;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult.Status;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the extension does around tests, seen by running fixture test classes. */
class EventSourceExtensionFixturesTest {

    @Test
    void closes_the_store_after_the_test() {
        FixtureRun run = FixtureRun.of(KeepsItsStore.class);

        assertThat(run.statuses()).containsValue(Status.SUCCESSFUL);
        assertThatThrownBy(() -> KeepsItsStore.store.globalPosition()).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void deletes_the_sqlite_file_and_its_companions_after_the_test() {
        FixtureRun run = FixtureRun.of(KeepsItsFile.class);

        assertThat(run.statuses()).containsValue(Status.SUCCESSFUL);
        assertThat(KeepsItsFile.filesDuringTheTest).contains(KeepsItsFile.database, Path.of(KeepsItsFile.database + "-wal"));
        assertThat(KeepsItsFile.database.getParent()).doesNotExist();
    }

    @Test
    void gives_every_test_method_an_empty_store() {
        FixtureRun run = FixtureRun.of(EachTestWritesOnce.class);

        assertThat(run.statuses()).isEqualTo(Map.of("writes_first", Status.SUCCESSFUL, "writes_again", Status.SUCCESSFUL));
    }

    @Test
    void refuses_a_repository_without_an_aggregate_annotation() {
        assertThat(FixtureRun.of(RepositoryWithoutAnnotation.class).onlyFailure())
                .hasMessageContaining("parameter 'notes' of test()")
                .hasMessageContaining("needs @Aggregate(type = \"...\")");
    }

    @Test
    void refuses_a_repository_without_a_type_whose_aggregate_declares_none() {
        assertThat(FixtureRun.of(AggregateWithoutDeclaredType.class).onlyFailure())
                .hasMessageContaining("parameter 'named' of test()")
                .hasMessageContaining("@AggregateType(\"NamedAggregate\")");
    }

    @Test
    void refuses_a_repository_without_an_aggregate_class() {
        assertThat(FixtureRun.of(RawRepository.class).onlyFailure())
                .hasMessageContaining("must name its aggregate class, e.g. AggregateRepository<NoteAggregate>");
    }

    @Test
    void refuses_an_aggregate_without_a_uuid_constructor() {
        assertThat(FixtureRun.of(AggregateWithoutUuidConstructor.class).onlyFailure())
                .hasMessageContaining("NamedAggregate has no constructor taking a UUID")
                .hasMessageContaining("add NamedAggregate(UUID id) { super(id); }");
    }

    @Test
    void refuses_the_aggregate_annotation_on_something_else() {
        assertThat(FixtureRun.of(AggregateOnAStore.class).onlyFailure())
                .hasMessageContaining("is annotated @Aggregate but is a EventStore");
    }

    @Test
    void refuses_a_store_parameter_of_another_backend_class() {
        assertThat(FixtureRun.of(WrongStoreClass.class).onlyFailure())
                .hasMessageContaining("is a dev.eventsource.sqlite.SQLiteEventStore but Backend.IN_MEMORY provides a"
                        + " dev.eventsource.store.InMemoryEventStore; declare it as EventStore");
    }

    @Test
    void refuses_a_store_in_a_before_all_method() {
        assertThat(FixtureRun.of(StoreInBeforeAll.class).onlyFailure())
                .hasMessageContaining("The event store lives for one test method");
    }

    @Test
    void refuses_a_static_injected_field() {
        assertThat(FixtureRun.of(StaticField.class).onlyFailure())
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("field StaticField.store must be neither static nor final");
    }

    @Test
    void names_the_artifact_to_add_when_the_postgresql_module_is_missing() {
        assertThat(FixtureRun.of(OnPostgreSQL.class).onlyFailure())
                .hasMessageContaining("Backend.POSTGRESQL needs the eventsource-postgresql module on the test class path")
                .hasMessageContaining("<artifactId>eventsource-postgresql</artifactId><scope>test</scope>");
    }

    @Test
    void names_the_artifact_to_add_when_the_sqlite_module_is_missing() throws Exception {
        try (URLClassLoader withoutModules = new URLClassLoader(new URL[0], null)) {
            assertThat(Backend.SQLITE_MEMORY.missingModule(withoutModules))
                    .contains("Backend.SQLITE_MEMORY needs the eventsource-sqlite module")
                    .contains("<groupId>dev.eventsource</groupId><artifactId>eventsource-sqlite</artifactId>");
            assertThat(Backend.SQLITE_MEMORY.missingModule(getClass().getClassLoader())).isNull();
            assertThat(Backend.IN_MEMORY.missingModule(withoutModules)).isNull();
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class KeepsItsStore {
        static EventStore store;

        @Test
        void test(EventStore store) {
            KeepsItsStore.store = store;
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest(backend = Backend.SQLITE_FILE)
    static class KeepsItsFile {
        static Path database;
        static List<Path> filesDuringTheTest;

        @Test
        void test(SQLiteEventStore store) throws Exception {
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
            database = Path.of(store.database());
            try (var files = Files.list(database.getParent())) {
                filesDuringTheTest = files.toList();
            }
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest(backend = Backend.SQLITE_MEMORY)
    static class EachTestWritesOnce {

        @Test
        void writes_first(EventStore store) {
            assertThat(store.globalPosition()).isZero();
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
        }

        @Test
        void writes_again(EventStore store) {
            assertThat(store.globalPosition()).isZero();
            store.appendEvents(UUID.randomUUID(), "Note", List.of(new NoteCreated("t", "c")), ExpectedVersion.NO_STREAM);
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class RepositoryWithoutAnnotation {
        @Test
        void test(AggregateRepository<NoteAggregate> notes) {
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class RawRepository {
        @Test
        @SuppressWarnings("rawtypes")
        void test(@Aggregate(type = "Note") AggregateRepository notes) {
        }
    }

    static final class NamedAggregate extends AggregateRoot<String> {
        NamedAggregate(UUID id, String name) {
            super(id);
        }

        @Override
        protected String initialState() {
            return "";
        }

        @Override
        protected String apply(String state, DomainEvent event) {
            return state;
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class AggregateWithoutDeclaredType {
        @Test
        void test(@Aggregate AggregateRepository<NamedAggregate> named) {
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class AggregateWithoutUuidConstructor {
        @Test
        void test(@Aggregate(type = "Named") AggregateRepository<NamedAggregate> named) {
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class AggregateOnAStore {
        @Test
        void test(@Aggregate(type = "Note") EventStore store) {
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class WrongStoreClass {
        @Test
        void test(SQLiteEventStore store) {
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class StoreInBeforeAll {
        @BeforeAll
        static void before(EventStore store) {
        }

        @Test
        void test() {
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest
    static class StaticField {
        @Injected
        static InMemoryEventStore store;

        @Test
        void test() {
        }
    }

    @FixtureRun.Fixture
    @EventStoreTest(backend = Backend.POSTGRESQL)
    static class OnPostgreSQL {
        @Test
        void test(EventStore store) {
        }
    }
}
