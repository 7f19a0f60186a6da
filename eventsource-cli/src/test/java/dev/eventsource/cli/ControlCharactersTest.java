package dev.eventsource.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored text with terminal control sequences: people's output shows them escaped, JSON output
 * keeps them exactly. The hostile row is written with plain SQL, as another program could.
 */
class ControlCharactersTest {

    /** Sets the terminal title, a CSI (C1) colour sequence, and a right-to-left override. */
    private static final String TYPE = "Cart\u001b]0;pwned\u0007";
    private static final String TENANT = "acme\u009b31m";
    private static final String EVENT_TYPE = "ItemAdded\u202Egnp.exe";
    private static final String NAME = "lamp\u001b[2J\u007f";

    @TempDir
    Path dir;

    private Cli.Fixture shop;

    @BeforeEach
    void storeWithAHostileRow() throws Exception {
        shop = Cli.shop(dir);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + shop.file());
             PreparedStatement update = c.prepareStatement("UPDATE events SET aggregate_type = ?, tenant_id = ?, event_type = ?,"
                     + " payload = ? WHERE global_position = 3")) {
            update.setString(1, TYPE);
            update.setString(2, TENANT);
            update.setString(3, EVENT_TYPE);
            update.setString(4, "{\"name\":\"lamp\\u001b[2J\u007f\"}");
            update.executeUpdate();
        }
    }

    @Test
    void streams_events_and_tail_print_control_characters_escaped() {
        Cli.Result streams = Cli.run("streams", shop.url());
        Cli.Result events = Cli.run("events", shop.url(), TYPE, shop.cart2().toString());
        Cli.Result tail = Cli.run("tail", shop.url(), "--from-position", "0", "--max-events", "5");
        Cli.Result stats = Cli.run("stats", shop.url());

        for (Cli.Result result : new Cli.Result[] {streams, events, tail, stats}) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).as(result.toString()).doesNotContain("\u001b", "\u0007", "\u009b", "\u202E", "\u007f");
        }
        assertThat(streams.out()).contains("Cart\\u001B]0;pwned\\u0007");
        assertThat(events.out()).contains("ItemAdded\\u202Egnp.exe", "tenant acme\\u009B31m", "lamp\\u001B[2J\\u007F");
        assertThat(tail.out()).contains("#3 ", "Cart\\u001B]0;pwned\\u0007/", "ItemAdded\\u202Egnp.exe");
    }

    @Test
    void json_output_keeps_stored_text_exactly() throws Exception {
        Cli.Result events = Cli.run("events", shop.url(), TYPE, shop.cart2().toString(), "--json");
        Cli.Result streams = Cli.run("streams", shop.url(), "--json");

        JsonNode event = EventJson.MAPPER.readTree(events.out()).get("events").get(0);
        assertThat(event.get("aggregateType").asText()).isEqualTo(TYPE);
        assertThat(event.get("tenantId").asText()).isEqualTo(TENANT);
        assertThat(event.get("eventType").asText()).isEqualTo(EVENT_TYPE);
        assertThat(event.get("payload").get("name").asText()).isEqualTo(NAME);
        assertThat(EventJson.MAPPER.readTree(streams.out()).get("streams").findValuesAsText("aggregateType")).contains(TYPE);
    }
}
