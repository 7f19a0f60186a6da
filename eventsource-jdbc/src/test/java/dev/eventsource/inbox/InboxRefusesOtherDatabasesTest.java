package dev.eventsource.inbox;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbox on a database it does not support (a real H2 in memory): refused at open, naming the
 * product found and the fix, with nothing created. The contract on SQLite and PostgreSQL is
 * {@code InboxContract} in eventsource-tck, run by eventsource-sqlite and eventsource-postgresql.
 */
class InboxRefusesOtherDatabasesTest {

    @Test
    void an_inbox_on_a_data_source_of_another_database_is_refused_naming_the_product_and_the_fix() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:inbox-refusal;DB_CLOSE_DELAY=-1");

        assertThatThrownBy(() -> Inbox.open(h2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SQLite or PostgreSQL").hasMessageContaining("H2")
                .hasMessageContaining("dialect(InboxDialect.SQLITE or InboxDialect.POSTGRESQL)");

        try (Connection c = h2.getConnection();
             ResultSet tables = c.getMetaData().getTables(null, null, "%INBOX%", null)) {
            assertThat(tables.next()).as("no table was created").isFalse();
        }
    }

    @Test
    void an_inbox_on_a_url_of_another_database_is_refused_without_echoing_its_parameters() {
        assertThatThrownBy(() -> Inbox.open("jdbc:h2:mem:x;PASSWORD=secret?password=secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:sqlite:")
                .hasMessageNotContaining("password=secret");
        assertThatThrownBy(() -> Inbox.open((String) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("jdbcUrl");
        assertThatThrownBy(() -> Inbox.open((javax.sql.DataSource) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataSource");
    }

    @Test
    void builder_options_refuse_bad_values_naming_the_fix() {
        Inbox.Builder builder = Inbox.builder("jdbc:sqlite::memory:");

        assertThatThrownBy(() -> builder.tablePrefix("Bad-Prefix")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a-z_][a-z0-9_]{0,40}");
        assertThatThrownBy(() -> builder.tablePrefix(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.busyTimeout(java.time.Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTimeout");
        assertThatThrownBy(() -> builder.dialect(null)).isInstanceOf(NullPointerException.class);
    }
}
