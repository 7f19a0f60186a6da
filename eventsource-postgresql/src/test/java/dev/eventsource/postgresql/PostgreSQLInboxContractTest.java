package dev.eventsource.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.inbox.Inbox;
import dev.eventsource.inbox.InboxDialect;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.tck.InboxContract;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbox contract on PostgreSQL ({@link PostgresTestServer}: embedded, or the server of
 * {@code EVENTSOURCE_TEST_POSTGRES_URL}); each test's read model and inbox table live in a fresh
 * schema, reached as the connections' {@code currentSchema}.
 */
class PostgreSQLInboxContractTest extends InboxContract {

    private HikariDataSource pool;
    private String url;

    @Override
    protected DataSource newDatabase() throws Exception {
        String schema = PostgresTestServer.freshSchema();
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String server = PostgresTestServer.url();
        url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(12);
        pool.setPoolName("inbox-" + schema);
        return pool;
    }

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    protected String jdbcUrl() {
        return url;
    }

    @Override
    protected InboxDialect expectedDialect() {
        return InboxDialect.POSTGRESQL;
    }

    /**
     * The mechanism behind exactly-once under concurrency on PostgreSQL, where two deliveries'
     * transactions really overlap: the second insert of an event's id waits for the first
     * transaction, then sees a conflict if it committed, or inserts if it rolled back.
     */
    @Test
    void a_delivery_racing_an_uncommitted_one_waits_for_it_then_skips_a_commit_or_applies_after_a_rollback()
            throws Exception {
        Inbox inbox = Inbox.open(database());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (boolean firstCommits : new boolean[] {true, false}) {
                StoredEvent event = event(firstCommits ? 1 : 2);
                CountDownLatch inside = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Future<Boolean> first = pool.submit(() -> inbox.processOnce("billing", event, (e, envelope, c) -> {
                    CHARGE.handle(e, envelope, c);
                    inside.countDown();
                    release.await();
                    if (!firstCommits) {
                        throw new IllegalStateException("the first delivery fails after writing");
                    }
                }));
                assertThat(inside.await(1, TimeUnit.MINUTES)).isTrue();
                Future<Boolean> second = pool.submit(() -> inbox.processOnce("billing", event, CHARGE));
                awaitAnInboxInsertWaitingForALock();
                release.countDown();

                if (firstCommits) {
                    assertThat(first.get(1, TimeUnit.MINUTES)).isTrue();
                    assertThat(second.get(1, TimeUnit.MINUTES)).as("the waiting delivery is a duplicate").isFalse();
                } else {
                    assertThatThrownBy(() -> first.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(IllegalStateException.class);
                    assertThat(second.get(1, TimeUnit.MINUTES)).as("the waiting delivery applies it").isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM effects")).isEqualTo(2);
        assertThat(count("SELECT count(DISTINCT event_id) FROM effects")).isEqualTo(2);
        assertThat(inbox.stats().processed()).isEqualTo(2);
        assertThat(inbox.stats().duplicatesSkipped()).isEqualTo(1);
        assertThat(inbox.stats().failed()).isEqualTo(1);
    }

    /** Polls the server until a session's insert into the inbox table waits on a lock (the other transaction's row). */
    private void awaitAnInboxInsertWaitingForALock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        try (Connection c = database().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO eventsource_inbox %'")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("no delivery waited for the other's uncommitted row within a minute");
    }
}
