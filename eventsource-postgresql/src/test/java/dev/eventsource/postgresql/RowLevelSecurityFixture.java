package dev.eventsource.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.test.PostgresTestServer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two roles of row-level-security mode on the test server: the administrative role of
 * {@link PostgresTestServer} (a superuser, so it bypasses row-level security and sets it up), and an
 * application role without {@code BYPASSRLS}, reached through a pool of its own whose connections
 * {@code SET ROLE} to it (so no password or login rule is needed). The role is made once per JVM.
 */
final class RowLevelSecurityFixture {

    /** The application role: no superuser, no BYPASSRLS. */
    static final String APP_ROLE = "es_rls_app_" + Long.toString(ProcessHandle.current().pid(), 36);

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static HikariDataSource appPool;

    private RowLevelSecurityFixture() {
    }

    /** An administrative store in a fresh schema, initialized in row-level-security mode (which sets it up). */
    static PostgreSQLEventStore adminStore(EventRegistry registry) {
        PostgreSQLEventStore admin = PostgreSQLEventStore.builder(PostgresTestServer.dataSource())
                .schema(PostgresTestServer.freshSchema()).rowLevelSecurity(true).eventRegistry(registry).build();
        admin.initialize();
        grantApplicationRole(admin.schema(), admin.tablePrefix());
        return admin;
    }

    /** A store of the application role on {@code admin}'s tables, in row-level-security mode. */
    static PostgreSQLEventStore appStore(PostgreSQLEventStore admin, EventRegistry registry) {
        return PostgreSQLEventStore.builder(appDataSource()).schema(admin.schema()).tablePrefix(admin.tablePrefix())
                .rowLevelSecurity(true).eventRegistry(registry).build();
    }

    /** What an application role needs on a store's tables: DML, no DDL, no ownership. */
    static void grantApplicationRole(String schema, String prefix) {
        appDataSource(); // makes the role
        String t = schema + "." + prefix;
        admin("GRANT USAGE ON SCHEMA " + schema + " TO " + APP_ROLE,
                "GRANT SELECT, INSERT ON " + t + "events, " + t + "schema_version TO " + APP_ROLE,
                "GRANT SELECT, USAGE ON SEQUENCE " + t + "events_position_seq TO " + APP_ROLE,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON " + t + "snapshots, " + t + "subscription_checkpoints, "
                        + t + "dead_letters TO " + APP_ROLE);
    }

    /** The application role's pool, at most 8 connections, shared by the tests of this JVM. */
    static DataSource appDataSource() {
        LOCK.lock();
        try {
            if (appPool == null) {
                admin("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE + "') THEN"
                        + " CREATE ROLE " + APP_ROLE + " NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$",
                        "GRANT " + APP_ROLE + " TO CURRENT_USER");
                HikariDataSource pool = new HikariDataSource();
                pool.setJdbcUrl(PostgresTestServer.url());
                pool.setMaximumPoolSize(8);
                pool.setPoolName("eventsource-rls-app");
                pool.setConnectionInitSql("SET ROLE " + APP_ROLE);
                appPool = pool;
            }
            return appPool;
        } finally {
            LOCK.unlock();
        }
    }

    /** Runs statements as the administrative role. */
    static void admin(String... statements) {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("admin SQL failed: " + e.getMessage(), e);
        }
    }
}
