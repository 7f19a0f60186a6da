package dev.eventsource.store.spi;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.EventLimits;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JsonObjectScan#isStorable} is the fast path of {@link JsonObjectScan#requireStorable}: it may
 * only say yes where the full check (Jackson's parser with the limits) accepts, and it must say yes
 * to what the library writes, or the fast path would never be taken.
 */
class StorableJsonScanTest {

    record Line(String sku, int quantity, BigDecimal price, double weight) {
    }

    record Ordered(UUID orderId, String customer, List<Line> lines, Map<String, String> tags, Instant at, boolean gift)
            implements DomainEvent {
    }

    private static boolean parserAccepts(String json) {
        try {
            EventLimits.requireJsonObject("payload", json);
            return true;
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }

    @Test
    void says_yes_to_what_the_library_writes() {
        EventMapper mapper = new EventMapper(new EventRegistry());
        Random random = new Random(5);
        for (int n = 0; n < 2_000; n++) {
            List<Line> lines = new ArrayList<>();
            for (int k = random.nextInt(4); k >= 0; k--) {
                lines.add(new Line("SKU-" + random.nextInt(10_000), random.nextInt(100),
                        BigDecimal.valueOf(random.nextInt(1_000_000), 2), random.nextInt(1000) / 8.0));
            }
            String customer = List.of("Zoë", "Jürgen \"JJ\" Müller", "李小龍", "emoji 😀 ok", "tab\there\\", "plain").get(n % 6);
            String json = mapper.writeJson(new Ordered(UUID.randomUUID(), customer, lines, Map.of("channel", "web"),
                    Instant.ofEpochSecond(1_700_000_000L + n, n * 1_000L), n % 2 == 0));

            assertThat(JsonObjectScan.isStorable(json)).as(json).isTrue();
            assertThat(parserAccepts(json)).as(json).isTrue();
        }
    }

    @Test
    void leaves_what_the_full_check_refuses_or_measures_to_the_parser() {
        for (String refused : List.of("{\"a\":\"\\u0000\"}", "{\"a\":\"\uD800\"}", "{\"a\":\"\uDC00x\"}", "{\"a\":\"\\uD800\"}",
                "{\"\uD800\":1}", "{\"a\":1e2000}", "[]", "{\"a\":1}{}")) {
            assertThat(JsonObjectScan.isStorable(refused)).as(refused).isFalse();
            assertThatThrownBy(() -> JsonObjectScan.requireStorable("payload", refused)).as(refused)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        // Not judged by the scan, accepted by the parser: the full check still has the last word.
        for (String accepted : List.of("{\"a\":1e5}", "{\"a\":\"\\uD83D\\uDE00\"}", "{\"a\":\"\uD83D\uDE00\"}")) {
            assertThat(JsonObjectScan.requireStorable("payload", accepted)).isEqualTo(accepted);
        }
        assertThat(JsonObjectScan.isStorable("{\"a\":\"\uD83D\uDE00\"}")).as("a paired surrogate is text").isTrue();
        assertThat(JsonObjectScan.isStorable(null)).isFalse();
    }

    @Test
    void nesting_at_the_limit_goes_to_the_parser() {
        int limit = EventLimits.MAX_JSON_DEPTH;
        String within = "{\"a\":" + "[".repeat(limit - 2) + "]".repeat(limit - 2) + "}";
        String beyond = "{\"a\":" + "[".repeat(limit) + "]".repeat(limit) + "}";

        assertThat(JsonObjectScan.isStorable(within)).isTrue();
        assertThat(parserAccepts(within)).isTrue();
        assertThat(JsonObjectScan.isStorable(beyond)).isFalse();
        assertThat(parserAccepts(beyond)).isFalse();
    }

    @Test
    void never_says_yes_where_the_parser_refuses_on_mutated_documents() {
        Random random = new Random(7);
        String base = "{\"orderId\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"lines\":[{\"sku\":\"A-1\",\"qty\":2,"
                + "\"price\":-12.50},{\"sku\":\"B\\u00e9\uD83D\uDE00\",\"qty\":0,\"gift\":true,\"note\":null}],\"total\":1000}";
        String alphabet = "{}[]\":,.-+eE0123456789tfnulrs\\ \t\nxa/u\uD800\uDC00\u0000\u0001";
        List<String> disagreements = new ArrayList<>();
        int yes = 0;
        int parserOnly = 0;
        for (int n = 0; n < 50_000; n++) {
            String json = JsonObjectScanTest.mutated(random, base, alphabet);
            boolean scan = JsonObjectScan.isStorable(json);
            boolean parser = parserAccepts(json);
            if (scan) {
                yes++;
                if (!parser) {
                    disagreements.add(json);
                }
            } else if (parser) {
                parserOnly++;
            }
        }
        assertThat(disagreements).as("documents the scan passed and the full check refuses").isEmpty();
        assertThat(yes).as("some mutations stay storable, so the yes side was exercised").isGreaterThan(1_000);
        assertThat(parserOnly).as("some are left to the parser (exponents, escaped surrogates)").isPositive();
    }
}
