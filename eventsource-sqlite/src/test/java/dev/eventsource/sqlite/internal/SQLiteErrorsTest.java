package dev.eventsource.sqlite.internal;

import dev.eventsource.EventSourceException;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.IncompatibleStoreException.Kind;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.StoreUnavailableException.Reason;
import dev.eventsource.store.TransientEventStoreException;
import dev.eventsource.store.UnexpectedStoreException;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StreamId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each SQLite failure, produced by a real SQLite database, becomes the library exception it stands for. */
class SQLiteErrorsTest {

    @TempDir
    Path dir;

    @Test
    void a_unique_violation_on_stream_versions_is_an_optimistic_lock_conflict() throws Exception {
        Path db = dir.resolve("unique.db");
        UUID id = UUID.randomUUID();
        SQLException e = failure(db, sql -> {
            sql.execute("CREATE TABLE events (aggregate_type TEXT, aggregate_id TEXT, version INTEGER,"
                    + " UNIQUE (aggregate_type, aggregate_id, version))");
            sql.execute("INSERT INTO events VALUES ('Note', '" + id + "', 1)");
            sql.execute("INSERT INTO events VALUES ('Note', '" + id + "', 1)");
        });
        StreamId stream = new StreamId("Note", id);

        EventSourceException translated = errors(db).translateAppend(e, stream, ExpectedVersion.exactly(0), 1);

        assertThat(translated).isInstanceOf(OptimisticLockException.class).hasCause(e);
        OptimisticLockException conflict = (OptimisticLockException) translated;
        assertThat(conflict.aggregateId()).isEqualTo(id);
        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(0));
        assertThat(conflict.actualVersion()).isEqualTo(1);
    }

    @Test
    void sqlite_busy_is_event_store_busy_with_the_timeout() throws Exception {
        Path db = dir.resolve("busy.db");
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            holder.createStatement().execute("BEGIN IMMEDIATE");
            SQLException e = failure(db, sql -> {
                sql.execute("PRAGMA busy_timeout = 0");
                sql.execute("BEGIN IMMEDIATE");
            });

            EventSourceException translated = errors(db).translate(e, "appending");

            assertThat(SQLiteErrors.primaryCode(e)).isEqualTo(5);
            assertThat(translated).isInstanceOf(EventStoreBusyException.class).isInstanceOf(TransientEventStoreException.class)
                    .hasCause(e)
                    .hasMessageContaining(db.toString()).hasMessageContaining("250 ms");
            assertThat(((EventStoreBusyException) translated).busyTimeout()).isEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void sqlite_locked_is_event_store_busy() throws Exception {
        Path db = dir.resolve("locked.db");
        SQLException e = failure(db, sql -> {
            sql.execute("CREATE TABLE t (x)");
            sql.execute("INSERT INTO t VALUES (1), (2)");
            // A table cannot be dropped while a statement on the same connection is still reading it.
            try (Statement reader = sql.getConnection().createStatement(); ResultSet rs = reader.executeQuery("SELECT x FROM t")) {
                rs.next();
                sql.execute("DROP TABLE t");
            }
        });

        assertThat(SQLiteErrors.primaryCode(e)).isEqualTo(6);
        assertThat(errors(db).translate(e, "appending")).isInstanceOf(EventStoreBusyException.class);
    }

    @Test
    void sqlite_notadb_names_the_file_as_not_a_database() throws Exception {
        Path db = dir.resolve("text.db");
        Files.writeString(db, "plain text, not a database ".repeat(50));
        SQLException e = failure(db, sql -> sql.execute("SELECT * FROM sqlite_master"));

        assertThat(errors(db).translate(e, "opening")).isNotInstanceOf(EventStoreBusyException.class).hasCause(e)
                .hasMessageContaining(db + " is not a SQLite database")
                .isInstanceOfSatisfying(IncompatibleStoreException.class, i -> assertThat(i.kind()).isEqualTo(Kind.NOT_A_DATABASE));
    }

    @Test
    void sqlite_corrupt_is_a_corrupt_store_saying_to_restore_a_backup() throws Exception {
        Path db = dir.resolve("corrupt.db");
        failure(db, sql -> {
            sql.execute("CREATE TABLE t (x TEXT)");
            sql.execute("CREATE INDEX t_x ON t (x)");
            sql.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                    + " INSERT INTO t SELECT printf('%0100d', i) FROM n");
        });
        try (var file = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.WRITE)) {
            // Page 3 onwards holds table and index b-tree pages; garbage there is damage SQLite detects on read.
            file.write(java.nio.ByteBuffer.wrap("garbage ".repeat(512).getBytes()), 2 * 4096L);
        }
        SQLException e = failure(db, sql -> {
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM t WHERE x > ''")) {
                rs.next();
            }
            try (ResultSet rs = sql.executeQuery("SELECT max(x) FROM t NOT INDEXED")) {
                rs.next();
            }
        });

        assertThat(SQLiteErrors.primaryCode(e)).isEqualTo(11);
        assertThat(errors(db).translate(e, "reading the event log")).hasCause(e).hasMessageContaining("Restore it from a backup")
                .isInstanceOfSatisfying(IncompatibleStoreException.class, i -> assertThat(i.kind()).isEqualTo(Kind.CORRUPT));
    }

    @Test
    void sqlite_readonly_names_the_database_as_read_only() throws Exception {
        Path db = dir.resolve("ro.db");
        failure(db, sql -> sql.execute("CREATE TABLE t (x)"));
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLException e;
        try (Connection c = config.createConnection("jdbc:sqlite:" + db)) {
            e = catchThrowableOfType(SQLException.class, () -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        }

        assertThat(errors(db).translate(e, "appending")).hasCause(e)
                .hasMessageContaining(db.toString()).hasMessageContaining("read-only")
                .isInstanceOfSatisfying(StoreUnavailableException.class, u -> assertThat(u.reason()).isEqualTo(Reason.READ_ONLY));
    }

    @Test
    void sqlite_full_says_the_database_is_full_and_earlier_events_are_intact() throws Exception {
        Path db = dir.resolve("full.db");
        SQLException e = failure(db, sql -> {
            sql.execute("CREATE TABLE t (x)");
            sql.execute("PRAGMA max_page_count = 3");
            sql.execute("INSERT INTO t VALUES (zeroblob(100000))");
        });

        assertThat(SQLiteErrors.primaryCode(e)).isEqualTo(13);
        assertThat(errors(db).translate(e, "appending")).hasCause(e)
                .hasMessageContaining(db + " is full").hasMessageContaining("intact")
                .isInstanceOfSatisfying(StoreUnavailableException.class, u -> assertThat(u.reason()).isEqualTo(Reason.STORAGE_FULL));
    }

    @Test
    void sqlite_cantopen_in_a_missing_folder_names_the_folder() throws Exception {
        Path db = dir.resolve("missing").resolve("x.db");
        SQLException e = failure(db, sql -> sql.execute("SELECT 1"));

        assertThat(errors(db).translate(e, "opening")).hasCause(e)
                .hasMessageContaining("folder " + dir.resolve("missing") + " does not exist")
                .isInstanceOfSatisfying(StoreUnavailableException.class, u -> assertThat(u.reason()).isEqualTo(Reason.CANNOT_OPEN));
    }

    @Test
    void sqlite_cantopen_on_a_directory_says_it_is_a_directory() throws Exception {
        SQLException e = failure(dir, sql -> sql.execute("SELECT * FROM sqlite_master"));

        assertThat(errors(dir).translate(e, "opening")).hasMessageContaining("is a directory");
    }

    @Test
    void any_other_error_keeps_the_sqlite_message_and_the_action() throws Exception {
        Path db = dir.resolve("other.db");
        SQLException e = failure(db, sql -> sql.execute("SELECT * FROM no_such_table"));

        assertThat(errors(db).translate(e, "reading the event log")).hasCause(e).isExactlyInstanceOf(UnexpectedStoreException.class)
                .hasMessageContaining("reading the event log").hasMessageContaining("no_such_table");
    }

    private static SQLiteErrors errors(Path db) {
        return new SQLiteErrors(db.toString(), Duration.ofMillis(250));
    }

    /** The SQLException that {@code work} raises on a connection to {@code db}; fails the test if none. */
    private static SQLException failure(Path db, ThrowingConsumer<Statement> work) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement sql = c.createStatement()) {
                work.accept(sql);
            }
        });
        return e;
    }
}
