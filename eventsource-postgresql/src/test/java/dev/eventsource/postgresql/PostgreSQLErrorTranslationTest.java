package dev.eventsource.postgresql;

import dev.eventsource.EventSourceException;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.SerializationException;
import dev.eventsource.postgresql.internal.PgErrors;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoreUnavailableException.Reason;
import dev.eventsource.store.TransientEventStoreException;
import dev.eventsource.store.UnexpectedStoreException;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.eventsource.postgresql.internal.EventsTable;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StreamId;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * SQLState translation, case by case, on exceptions a real PostgreSQL raised: by {@code RAISE ...
 * USING ERRCODE} for states that are hard to provoke on demand, and for real where they are not.
 */
class PostgreSQLErrorTranslationTest {

    record Noted(String text) implements dev.eventsource.event.DomainEvent {
    }

    /** The exception PostgreSQL raises for {@code RAISE EXCEPTION ... USING ERRCODE = state}. */
    private static SQLException raised(String state) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN RAISE EXCEPTION 'provoked' USING ERRCODE = '" + state + "'; END $$");
        } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo(state);
            return e;
        }
        throw new AssertionError("PostgreSQL did not raise " + state);
    }

    private static EventSourceException translated(String state) throws SQLException {
        SQLException cause = raised(state);
        EventSourceException e = PgErrors.translate("store", "test", cause);
        assertThat(e).hasCause(cause);
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"40001", "40P01", "55P03", "08000", "08003", "08006", "57P01", "57P02", "57P03", "53300"})
    void serialization_failures_deadlocks_and_lost_connections_are_transient(String state) throws SQLException {
        EventSourceException e = translated(state);

        assertThat(e).isInstanceOf(TransientStoreException.class).isInstanceOf(TransientEventStoreException.class);
        assertThat(((TransientStoreException) e).sqlState()).isEqualTo(state);
    }

    @ParameterizedTest
    @CsvSource({"28000, CREDENTIALS_REFUSED", "28P01, CREDENTIALS_REFUSED", "3D000, DATABASE_MISSING",
            "42501, ACCESS_DENIED", "25006, READ_ONLY", "53100, STORAGE_FULL", "58030, IO_ERROR"})
    void configuration_and_storage_problems_are_an_unavailable_store_with_their_reason(String state, Reason reason)
            throws SQLException {
        EventSourceException e = translated(state);

        assertThat(e).isInstanceOf(StoreUnavailableException.class).isNotInstanceOf(TransientEventStoreException.class);
        assertThat(((StoreUnavailableException) e).reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42P01", "42883", "3F000"})
    void missing_tables_functions_or_schema_are_a_store_not_initialized(String state) throws SQLException {
        assertThat(translated(state)).isInstanceOf(StoreNotInitializedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"XX001", "XX002"})
    void damaged_pages_are_a_corrupt_store(String state) throws SQLException {
        EventSourceException e = translated(state);

        assertThat(e).isInstanceOf(IncompatibleStoreException.class).hasMessageContaining("backup");
        assertThat(((IncompatibleStoreException) e).kind()).isEqualTo(IncompatibleStoreException.Kind.CORRUPT);
    }

    @Test
    void a_deadlock_is_named_as_such() throws SQLException {
        assertThat(translated("40P01")).hasMessageContaining("deadlock").hasMessageContaining("may be retried");
    }

    @Test
    void refused_credentials_are_not_transient_and_say_what_to_check() throws SQLException {
        EventSourceException e = translated("28P01");

        assertThat(e).isNotInstanceOf(TransientStoreException.class).hasMessageContaining("user name and password");
    }

    @Test
    void a_missing_database_says_to_create_it() throws SQLException {
        assertThat(translated("3D000")).isNotInstanceOf(TransientStoreException.class).hasMessageContaining("CREATE DATABASE");
    }

    @Test
    void a_missing_privilege_names_the_fix() throws SQLException {
        assertThat(translated("42501")).hasMessageContaining("privilege").hasMessageContaining("schemaSql");
    }

    @Test
    void missing_tables_point_at_initialize() throws SQLException {
        assertThat(translated("42P01")).hasMessageContaining("initialize()");
    }

    @Test
    void characters_jsonb_refuses_are_a_serialization_problem() throws SQLException {
        assertThat(translated("22P05")).isInstanceOf(SerializationException.class).hasMessageContaining("Nothing was written");
    }

    @Test
    void any_other_state_is_an_unexpected_store_exception_keeping_the_state_in_the_message() throws SQLException {
        EventSourceException e = translated("XX000");

        assertThat(e.getClass()).isEqualTo(UnexpectedStoreException.class);
        assertThat(e).hasMessageContaining("SQLState XX000");
    }

    @Test
    void a_user_the_server_does_not_know_is_refused_credentials() {
        String url = PostgresTestServer.url().replaceFirst("\\?.*$", "");
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(url).credentials("no_such_role", "secret").build()) {
            StoreUnavailableException e = catchThrowableOfType(StoreUnavailableException.class, store::initialize);

            assertThat(e).isNotNull().hasMessageContaining("refused the credentials").hasMessageNotContaining("secret");
            assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_REFUSED);
        }
    }

    @Test
    void a_connection_terminated_by_the_server_is_transient() throws SQLException {
        try (Connection victim = PostgresTestServer.connect(); Connection admin = PostgresTestServer.connect();
             Statement s = admin.createStatement()) {
            int pid = victim.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            s.execute("SELECT pg_terminate_backend(" + pid + ")");

            SQLException lost = null;
            try (Statement v = victim.createStatement()) {
                v.execute("SELECT 1");
            } catch (SQLException e) {
                lost = e;
            }

            assertThat((Throwable) lost).isNotNull();
            assertThat(PgErrors.translate("store", "test", lost)).isInstanceOf(TransientStoreException.class);
        }
    }

    @Test
    void a_store_whose_server_cannot_be_reached_fails_with_a_transient_exception() {
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder("jdbc:postgresql://127.0.0.1:1/app?connectTimeout=5")
                .credentials("app", "secret").build()) {
            assertThatThrownBy(store::initialize)
                    .isInstanceOf(TransientStoreException.class)
                    .isInstanceOf(TransientEventStoreException.class)
                    .hasMessageContaining("127.0.0.1:1/app")
                    .hasMessageNotContaining("secret");
        }
    }

    @Test
    void a_store_on_a_database_that_does_not_exist_says_so() {
        String url = PostgresTestServer.url().replaceFirst("^(jdbc:postgresql://[^/]+)/[^?]*", "$1/no_such_database");
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(url).build()) {
            assertThatThrownBy(store::initialize)
                    .isNotInstanceOf(TransientStoreException.class)
                    .isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).reason()).isEqualTo(Reason.DATABASE_MISSING))
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void an_append_blocked_on_an_uncommitted_write_of_the_same_version_gets_the_actual_version_once_it_commits()
            throws Exception {
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(PostgresTestServer.freshSchema()).eventRegistry(new EventRegistry()).build()) {
            store.initialize();
            UUID id = UUID.randomUUID();
            ExecutorService racer = Executors.newSingleThreadExecutor();
            try (Connection holder = PostgresTestServer.connect()) {
                holder.setAutoCommit(false);
                new EventsTable(store.schema(), store.tablePrefix()).appendInTransaction(holder, new StreamId("Note", id),
                        List.of(store.mapper().serialize(NewEvent.of(new Noted("first")))), ExpectedVersion.NO_STREAM,
                        Instant.now().truncatedTo(ChronoUnit.MICROS));
                Future<?> append = racer.submit(() ->
                        store.appendEvents(id, "Note", List.of(new Noted("second")), ExpectedVersion.NO_STREAM));
                awaitSomeoneWaitingForALock();

                holder.commit();

                assertThatThrownBy(() -> append.get(1, TimeUnit.MINUTES))
                        .hasCauseInstanceOf(OptimisticLockException.class)
                        .cause().satisfies(e -> assertThat(((OptimisticLockException) e).actualVersion()).isEqualTo(1));
            } finally {
                racer.shutdownNow();
            }
            assertThat(store.getEvents(id, "Note").events()).extracting(e -> e.event()).containsExactly(new Noted("first"));
        }
    }

    /** Polls until a backend waits on a lock: the racing insert is blocked on the unique index. */
    private static void awaitSomeoneWaitingForALock() throws SQLException, InterruptedException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 6000; i++) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the racing append never waited for the uncommitted write");
    }
}
