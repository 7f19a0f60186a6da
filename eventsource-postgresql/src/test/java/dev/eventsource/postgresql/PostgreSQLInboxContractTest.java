package dev.eventsource.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.inbox.InboxDialect;
import dev.eventsource.tck.InboxContract;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

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
}
