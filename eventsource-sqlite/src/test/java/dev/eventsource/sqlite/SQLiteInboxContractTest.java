package dev.eventsource.sqlite;

import dev.eventsource.inbox.Inbox;
import dev.eventsource.inbox.InboxDialect;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.EventStoreInterruptedException;
import dev.eventsource.tck.ExceptionHierarchy;
import dev.eventsource.tck.InboxContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inbox contract on a real SQLite file in WAL mode, plus what only SQLite has: its write lock. */
class SQLiteInboxContractTest extends InboxContract {

    @TempDir
    Path dir;

    private String url;

    @Override
    protected DataSource newDatabase() {
        url = "jdbc:sqlite:" + dir.resolve("read-model.db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        return dataSource;
    }

    @Override
    protected String jdbcUrl() {
        return url;
    }

    @Override
    protected InboxDialect expectedDialect() {
        return InboxDialect.SQLITE;
    }

    @Test
    void a_delivery_that_cannot_get_the_write_lock_within_the_busy_timeout_is_refused_as_busy_with_nothing_applied()
            throws Exception {
        Inbox inbox = Inbox.builder(database()).busyTimeout(Duration.ofMillis(200)).build();
        try (Connection other = database().getConnection(); Statement s = other.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("BEGIN IMMEDIATE");   // another writer holds the lock
            assertThatThrownBy(() -> inbox.processOnce("billing", event(1), CHARGE))
                    .isInstanceOf(EventStoreBusyException.class).hasMessageContaining("busy timeout of 200 ms")
                    .hasMessageContaining("read-model.db");
            s.execute("ROLLBACK");
        }

        assertThat(inbox.isProcessed("billing", event(1).eventId())).isFalse();
        assertThat(count("SELECT count(*) FROM effects")).isZero();
        assertThat(inbox.stats().failed()).isEqualTo(1);
        assertThat(inbox.processOnce("billing", event(1), CHARGE)).as("applied once the lock is free").isTrue();
    }

    @Test
    void a_delivery_interrupted_while_queued_behind_another_applies_nothing_and_keeps_its_interrupt_flag()
            throws Exception {
        Inbox inbox = Inbox.open(database());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> holder = pool.submit(() -> inbox.processOnce("billing", event(1), (e, envelope, c) -> {
                CHARGE.handle(e, envelope, c);
                inside.countDown();
                release.await();
            }));
            assertThat(inside.await(1, TimeUnit.MINUTES)).isTrue();

            AtomicBoolean flagKept = new AtomicBoolean();
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> inbox.processOnce("billing", event(2), CHARGE))
                        .isInstanceOf(EventStoreInterruptedException.class).hasMessageContaining("nothing was applied");
            } finally {
                flagKept.set(Thread.interrupted());
            }
            assertThat(flagKept).isTrue();

            release.countDown();
            assertThat(holder.get(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(inbox.isProcessed("billing", event(2).eventId())).isFalse();
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(1);
    }

    // eventsource-jdbc cannot run the TCK's guards itself (the TCK depends on it), so they run here on its classes.
    @Test
    void eventsource_jdbc_throws_only_library_exceptions_and_never_the_bare_root() {
        assertThat(ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(Inbox.class)).isEmpty();
        assertThat(ExceptionHierarchy.assertNoClassConstructsTheBareRoot(Inbox.class)).isGreaterThan(10);
    }
}
